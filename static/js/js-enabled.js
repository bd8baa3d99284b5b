// Runs first thing in <body>: lets GOV.UK Frontend's CSS know scripts are on.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
