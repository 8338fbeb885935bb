// Plan pages: htmx swaps 4xx answers that carry a form to show (409 a stale
// save, 422 invalid input) instead of dropping them; other errors stay errors.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
