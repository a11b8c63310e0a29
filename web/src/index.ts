export { AssetManifest } from './assetManifest.js';
export { BundleMissingError, WebError } from './errors.js';
export { brokerUrl, PageConfig, type PageLocation } from './pageConfig.js';
export { parseRoute, routePath, type WebRoute } from './routes.js';
export { loadWebAssets, staticAsset, type WebAsset, type WebAssets } from './webAssets.js';
export {
  createWebHandler,
  type WebHandler,
  WebHandlerOptions,
  type WebHandlerOptionsInput,
} from './webHandler.js';
