export { brokerUrl, PageConfig, type PageLocation } from './pageConfig.js';
export { parseRoute, routePath, type WebRoute } from './routes.js';
export { buildWebAssets, staticAsset, type WebAsset } from './webAssets.js';
export {
  createWebHandler,
  type WebHandler,
  WebHandlerOptions,
  type WebHandlerOptionsInput,
} from './webHandler.js';
