// Behaviour shared by every page. No inline script anywhere: pages describe what they need in data-* attributes.
(function () {
  'use strict';

  // Progress bars take their width from data-percent (styles in attributes would need 'unsafe-inline').
  document.querySelectorAll('[data-percent]').forEach(function (bar) {
    var value = Math.max(0, Math.min(100, parseFloat(bar.getAttribute('data-percent')) || 0));
    bar.style.width = value + '%';
  });

  // Lists marked data-cards show each row as a card on a phone or a tablet (see site.css): each cell is labelled
  // with its column's heading, so that a row reads without the heading row and nothing scrolls sideways.
  document.querySelectorAll('table[data-cards]').forEach(function (table) {
    var headings = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) { return th.textContent.trim(); });
    table.querySelectorAll('tbody > tr').forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (!cell.hasAttribute('colspan') && headings[i]) { cell.setAttribute('data-label', headings[i]); }
      });
    });
    table.classList.add('as-cards');
  });

  // Forms that change something submit once: a second click while the first is on its way does nothing.
  // Listening on the document runs after a form's own handlers, which may have cancelled the submit.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') {
      return;
    }
    if (form.dataset.submitted === 'true') {
      event.preventDefault();
      return;
    }
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = 'true';
    form.querySelectorAll('button[type="submit"]').forEach(function (b) { b.classList.add('disabled'); });
  });

  // Auto-submitting controls (a switch that saves when flipped).
  document.querySelectorAll('[data-autosubmit]').forEach(function (input) {
    input.addEventListener('change', function () {
      var form = input.form;
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    });
  });

  // The sidebar on narrow screens is an offcanvas panel: its menu button says whether it is open (Bootstrap's
  // offcanvas leaves aria-expanded to the page), and gets the focus back when the panel closes.
  document.querySelectorAll('.offcanvas, .offcanvas-sm, .offcanvas-md, .offcanvas-lg, .offcanvas-xl').forEach(function (panel) {
    var toggles = document.querySelectorAll('[data-bs-toggle="offcanvas"][data-bs-target="#' + panel.id + '"]');
    function expanded(value) {
      toggles.forEach(function (t) { t.setAttribute('aria-expanded', value ? 'true' : 'false'); });
    }
    panel.addEventListener('show.bs.offcanvas', function () { expanded(true); });
    panel.addEventListener('hidden.bs.offcanvas', function () {
      expanded(false);
      var active = document.activeElement;
      if (toggles.length && toggles[0].offsetParent !== null && (!active || active === document.body || panel.contains(active))) {
        toggles[0].focus();
      }
    });
  });

  document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (el) {
    bootstrap.Tooltip.getOrCreateInstance(el);
  });
})();
