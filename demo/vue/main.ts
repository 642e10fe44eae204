// Entry of demo/vue.html: a Vue 3 app around the App. The template is compiled in the browser by
// Vue's full build (vue/dist/vue.esm-bundler.js), so the project needs no Vue plugin for Vite;
// an app with @vitejs/plugin-vue (6.x supports Vite 8) sets the same `isCustomElement` in
// `vue({ template: { compilerOptions: { isCustomElement } } })` instead.
import { createApp } from 'vue/dist/vue.esm-bundler.js';
import { App } from './app.ts';

const app = createApp(App);
// <resumable-upload> is a custom element, not a Vue component: Vue creates it as it is, sets
// `:x.prop` bindings as properties and `@x` listeners with addEventListener. (The in-browser
// compiler would also recognise a tag already registered; saying it here holds for a template
// compiled before the element is defined, and is the one setting an SFC build needs.)
app.config.compilerOptions.isCustomElement = (tag) => tag === 'resumable-upload';
app.mount('#app');
