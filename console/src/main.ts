import { createApp } from 'vue';
import { ElLoading } from 'element-plus';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import './styles/element';
import './styles/app.css';

createApp(App).use(i18n).use(router).use(ElLoading).mount('#app');
