export {
  type AppResult,
  type AppAnswer,
  type AppContext,
  type UserHandler,
  type AppBehavior,
  APP_ANNOTATIONS,
  imageRepositoryName,
  expandEnv,
  validateAppAnnotations,
  resolveBehavior,
  genericApp,
} from './behavior.js';
export { sampleAppFor } from './samples.js';
