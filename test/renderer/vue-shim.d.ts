// lets the root tsconfig typecheck tests that import .vue files (vue-tsc checks the components themselves)
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
