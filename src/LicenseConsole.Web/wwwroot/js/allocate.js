// The allocate dialog. Step 1: product → spec that fits and maximum allocatable → quantity (checked here
// and again on the server). Step 2: what the totals will be, and that it cannot be undone. Confirm posts once.
(function () {
  'use strict';

  var dialog = document.getElementById('allocate-dialog');
  if (!dialog) { return; }

  var form = document.getElementById('allocate-form');
  var product = form.querySelector('[name="ProductKey"]');
  var spec = form.querySelector('[name="SpecCode"]');
  var quantity = form.querySelector('[name="Quantity"]');
  var confirmed = form.querySelector('[data-role="confirmed"]');
  var maxText = form.querySelector('[data-role="max"]');
  var specHelp = form.querySelector('[data-role="spec-help"]');
  var quantityError = form.querySelector('[data-role="quantity-error"]');
  var next = form.querySelector('[data-role="next"]');
  var back = form.querySelector('[data-role="back"]');
  var confirm = form.querySelector('[data-role="confirm"]');
  var steps = form.querySelectorAll('.allocate-step');
  var options = null;

  function text(name) {
    var args = Array.prototype.slice.call(arguments, 1);
    return (dialog.getAttribute('data-text-' + name) || '').replace(/\{(\d+)\}/g, function (_, i) { return args[+i]; });
  }

  function number(n) { return Number(n).toLocaleString(document.documentElement.lang); }

  function showStep(n) {
    steps.forEach(function (s) { s.hidden = s.getAttribute('data-step') !== String(n); });
    next.hidden = n !== 1;
    back.hidden = n !== 2;
    confirm.hidden = n !== 2;
  }

  function fit() {
    if (!options) { return null; }
    return options.fits.filter(function (f) { return f.specCode === spec.value; })[0] || null;
  }

  function updateMax() {
    var f = fit();
    var max = f ? f.max : 0;
    quantity.max = String(max);
    quantity.disabled = max < 1;
    maxText.textContent = f && max > 0 ? text('max', number(max)) : text('nothing');
    validate(false);
  }

  function validate(show) {
    var f = fit();
    var max = f ? f.max : 0;
    var raw = quantity.value.trim();
    var value = Number(raw);
    var ok = /^\d+$/.test(raw) && value >= 1 && value <= max;
    quantity.classList.toggle('is-invalid', show && !ok);
    quantityError.textContent = ok ? '' : text('quantity', number(max));
    next.disabled = !options || max < 1;
    return ok;
  }

  function load() {
    options = null;
    spec.innerHTML = '';
    spec.disabled = true;
    quantity.disabled = true;
    specHelp.textContent = '';
    maxText.textContent = product.value ? '' : text('choose');
    next.disabled = true;
    if (!product.value) { return; }
    fetch(dialog.getAttribute('data-options-url') + '?productKey=' + encodeURIComponent(product.value), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        options = data;
        if (!data) { return; }
        data.fits.forEach(function (f) {
          var o = document.createElement('option');
          o.value = f.specCode;
          o.textContent = f.label;
          spec.appendChild(o);
        });
        spec.disabled = data.fits.length < 2;
        specHelp.textContent = data.fixedSpec ? text('spec-fixed', data.fixedSpec) : text('spec-free');
        updateMax();
      });
  }

  product.addEventListener('change', load);
  spec.addEventListener('change', updateMax);
  quantity.addEventListener('input', function () { validate(true); });

  next.addEventListener('click', function () {
    if (!validate(true)) { quantity.focus(); return; }
    var f = fit();
    var q = Number(quantity.value);
    form.querySelector('[data-role="summary"]').textContent = text('summary', number(q), f.specCode, options.productName);
    form.querySelector('[data-role="after-product"]').textContent = text('after-product', options.productName, number(options.productTotal + q), number(options.productTotal));
    form.querySelector('[data-role="after-pool"]').textContent = text('after-pool', f.specCode, number(f.max - q), number(f.max));
    showStep(2);
  });

  back.addEventListener('click', function () { showStep(1); });

  form.addEventListener('submit', function (event) {
    if (confirm.hidden) {
      // Enter on the first step means "next".
      event.preventDefault();
      if (!next.disabled) { next.click(); }
      return;
    }
    if (!validate(true)) { event.preventDefault(); return; }
    confirmed.value = 'true';
    // Disabled fields are not posted: the spec select may be disabled when only one spec fits.
    spec.disabled = false;
  });

  dialog.addEventListener('show.bs.modal', function () {
    showStep(1);
    load();
  });

  document.querySelectorAll('[data-allocate-product]').forEach(function (button) {
    button.addEventListener('click', function () {
      product.value = button.getAttribute('data-allocate-product');
    });
  });
})();
