import { ASSETS_PATH, type AssetManifest } from './assetManifest.js';

/**
 * The HTML every view starts from: the script reads the URL, `/config.json`, and renders the view.
 * Only the bundle's file names from the build's manifest are put into it (their pattern allows
 * letters, digits and dots only); nothing from a request, so nothing from a request can inject
 * markup.
 */
export function pageShell(manifest: AssetManifest): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="dark">
<title>LikeBox live</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSETS_PATH}${manifest.stylesheet}">
<script type="module" src="${ASSETS_PATH}${manifest.script}"></script>
</head>
<body>
<div id="app"><p class="empty">Loading…</p></div>
<noscript>The LikeBox live page needs JavaScript.</noscript>
</body>
</html>
`;
}
