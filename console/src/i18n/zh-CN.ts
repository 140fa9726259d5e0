/** 简体中文。键必须与 en.ts 完全一致（类型检查 + keys.test.ts）。 */
import type { MessageSchema } from './en.js';

const zhCN: MessageSchema = {
  app: {
    name: 'Watchpost',
    tagline: '资产、暴露面与漏洞运营',
  },
  nav: {
    overview: '总览',
    agents: '探针',
    assets: '资产',
    scans: '扫描',
    policies: '策略',
    intel: '情报',
    findings: '发现',
    coming: '即将推出',
  },
  header: {
    language: '语言',
  },
  common: {
    refresh: '刷新',
    retry: '重试',
    loading: '加载中…',
    never: '从未',
    yes: '是',
    no: '否',
  },
  status: {
    title: '中枢状态',
    hub: '中枢',
    state: '状态',
    ok: '运行正常',
    degraded: '有响应，状态为“{status}”',
    checkedAt: '检查时间',
    latency: '响应时间',
    latencyMs: '{ms} 毫秒',
    downTitle: '中枢无响应',
    downHint: '请确认中枢正在运行（./scripts/start），且本浏览器可以访问。',
    errorCode: '错误码',
  },
  agents: {
    title: '探针',
    count: '{n} 个探针',
    id: '探针 ID',
    hostname: '主机名',
    version: '版本',
    state: '状态',
    online: '在线',
    offline: '离线',
    revoked: '已吊销',
    lastSeen: '最后在线',
    enrolledAt: '注册时间',
    empty: '尚无已注册的探针。请在中枢上创建注册令牌，然后运行 `watchpost-agent enroll`。',
    loadFailed: '无法加载探针列表',
  },
  token: {
    title: 'API 令牌',
    hint: '粘贴由 `watchpost-hub apitoken create` 创建的 API 令牌（wpa_…）。令牌仅保存在当前浏览器标签页中。',
    placeholder: 'wpa_…',
    use: '使用令牌',
    change: '更换令牌',
    malformed: '这不像 API 令牌（应为 wpa_ 加至少 43 个字符）。',
    rejected: '中枢拒绝了此令牌。',
  },
};

export default zhCN;
