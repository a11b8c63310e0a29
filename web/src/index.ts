export { AssetManifest } from './assetManifest.js';
export { CHROMIUM_ARGS, CHROMIUM_PATHS, findChromium } from './chromium.js';
export {
  type CurveSvgOptions,
  clockLabel,
  curveSvg,
  escapeXml,
  SVG_THEMES,
  type SvgCurvePoint,
  type SvgTheme,
} from './curveSvg.js';
export { BundleMissingError, WebError } from './errors.js';
export { brokerUrl, PageConfig, type PageLocation } from './pageConfig.js';
export {
  type ReportInput,
  type RoomSummary,
  reportHtml,
  roomSummaries,
} from './report/reportHtml.js';
export { talkResultPath } from './resultsApi.js';
export { parseRoute, routePath, type WebRoute } from './routes.js';
export { type TalkCardInput, talkCardSvg } from './talkCard.js';
export { type WalkOutBin, type WalkOutSvgOptions, walkOutSvg } from './walkOutSvg.js';
export { loadWebAssets, staticAsset, type WebAsset, type WebAssets } from './webAssets.js';
export {
  createWebHandler,
  type WebHandler,
  WebHandlerOptions,
  type WebHandlerOptionsInput,
} from './webHandler.js';
