/** The page shown to a browser without the access token: a plain form, no script. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function tokenPage(reason: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Flowbook: access token required</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}button{font:inherit;margin-top:.75rem;padding:.4rem 1rem}</style>
</head><body><h1>Access token required</h1>
<p>${escapeHtml(reason)}. Open the link printed in the terminal where Flowbook started, or paste the token here.</p>
<form method="get" action=""><label for="token">Token</label><input id="token" name="token" type="password" autocomplete="off" autofocus>
<button type="submit">Open Flowbook</button></form></body></html>`;
}
