/**
 * The HTML every view starts from: the script reads the URL, `/config.json`, and renders the view.
 * Nothing is interpolated into it, so nothing from a request can inject markup.
 */
export const PAGE_SHELL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="dark">
<title>LikeBox live</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<div id="app"><p class="empty">Loading…</p></div>
<noscript>The LikeBox live page needs JavaScript.</noscript>
</body>
</html>
`;
