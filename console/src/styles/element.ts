/**
 * Element Plus styles for the components the console uses. Components are imported where they are
 * used (tree-shaken); their CSS is listed here once, so the bundle carries only what is on screen.
 * Each `style/css` entry also pulls in the styles its component depends on.
 */
import 'element-plus/es/components/base/style/css';
import 'element-plus/es/components/container/style/css';
import 'element-plus/es/components/aside/style/css';
import 'element-plus/es/components/header/style/css';
import 'element-plus/es/components/main/style/css';
import 'element-plus/es/components/menu/style/css';
import 'element-plus/es/components/menu-item/style/css';
import 'element-plus/es/components/icon/style/css';
import 'element-plus/es/components/tag/style/css';
import 'element-plus/es/components/radio-group/style/css';
import 'element-plus/es/components/radio-button/style/css';
import 'element-plus/es/components/card/style/css';
import 'element-plus/es/components/descriptions/style/css';
import 'element-plus/es/components/descriptions-item/style/css';
import 'element-plus/es/components/result/style/css';
import 'element-plus/es/components/button/style/css';
import 'element-plus/es/components/table/style/css';
import 'element-plus/es/components/table-column/style/css';
import 'element-plus/es/components/input/style/css';
import 'element-plus/es/components/form/style/css';
import 'element-plus/es/components/form-item/style/css';
import 'element-plus/es/components/alert/style/css';
import 'element-plus/es/components/empty/style/css';
import 'element-plus/es/components/loading/style/css';
// Policies, intel and findings pages.
import 'element-plus/es/components/pagination/style/css';
import 'element-plus/es/components/checkbox/style/css';
import 'element-plus/es/components/checkbox-group/style/css';
import 'element-plus/es/components/checkbox-button/style/css';
import 'element-plus/es/components/progress/style/css';
import 'element-plus/es/components/tooltip/style/css';
// Confirm / prompt dialogs (agents: revoke; policies: copy, delete).
import 'element-plus/es/components/message-box/style/css';
// Risk & SLA settings.
import 'element-plus/es/components/input-number/style/css';
import 'element-plus/es/components/switch/style/css';
