/* mkdocs-okrs: filter the objective lists of the period, unit and tag pages.
 *
 * The page's template writes everything this script shows: the form of filters
 * (<form data-okr-filters hidden>, hidden so that a page without this script shows
 * its whole list), its labels, and the pattern of the count ("Showing {shown} of
 * {total}" in data-okr-text). The script holds no text of its own, so the pages
 * read in the site's language.
 *
 * Every element of the page's <article> with data-okr-filter-item is an objective:
 * data-okr-status, data-okr-commitment, data-okr-owner (a unit id) and data-okr-tags
 * (tag slugs, space-separated). An objective is shown when it matches every filter
 * that is set (one of the values of each). A data-okr-filter-group (a period, a
 * sub-unit) without a visible objective is hidden; a list with data-okr-list="tree"
 * is shown flat while a filter is on (data-okr-filtered), with its note
 * (data-okr-filter-note).
 *
 * The filters are read from and written to the page's query, so that a link can
 * open a filtered list: ?status=at-risk&status=off-track&commitment=committed
 * &owner=<unit id>&tag=<tag slug> (a parameter may repeat, or list values with
 * commas, but owner). A value the form offers no choice for still filters.
 *
 * With mkdocs-material's instant navigation the page changes without loading this
 * script again: it runs on every page Material shows (document$), else once the
 * document is ready.
 */
(function () {
  "use strict";

  var PARAMS = ["status", "commitment", "owner", "tag"];
  var ATTRS = { status: "okrStatus", commitment: "okrCommitment", owner: "okrOwner", tag: "okrTags" };

  function splitValues(param, raw) {
    // Unit ids written as free text (no org.yml) may hold a comma: owner is never split.
    var parts = param === "owner" ? [raw] : raw.split(",");
    return parts.map(function (v) { return v.trim(); }).filter(function (v) { return v !== ""; });
  }

  function readQuery() {
    var query = new URLSearchParams(window.location.search);
    var state = {};
    PARAMS.forEach(function (param) {
      var values = [];
      query.getAll(param).forEach(function (raw) {
        splitValues(param, raw).forEach(function (v) {
          if (values.indexOf(v) < 0) values.push(v);
        });
      });
      state[param] = values;
    });
    return state;
  }

  function writeQuery(state) {
    var url = new URL(window.location.href);
    PARAMS.forEach(function (param) {
      url.searchParams.delete(param);
      state[param].forEach(function (v) { url.searchParams.append(param, v); });
    });
    if (url.href !== window.location.href) {
      window.history.replaceState(window.history.state, "", url.href);
    }
  }

  function isActive(state) {
    return PARAMS.some(function (param) { return state[param].length > 0; });
  }

  function matches(item, state) {
    return PARAMS.every(function (param) {
      var wanted = state[param];
      if (!wanted.length) return true;
      var raw = item.dataset[ATTRS[param]] || "";
      if (param === "tag") {
        return raw.split(" ").some(function (t) { return t !== "" && wanted.indexOf(t) >= 0; });
      }
      return wanted.indexOf(raw) >= 0;
    });
  }

  function formatNumber(n) {
    var lang = document.documentElement.getAttribute("lang") || undefined;
    try {
      return n.toLocaleString(lang);
    } catch (e) {
      return String(n);
    }
  }

  // The form's controls showing ``state``. A select gets an option for a value of the
  // query it does not offer (its text is the value itself), so that it shows the filter.
  function showState(form, state) {
    form.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
      box.checked = (state[box.name] || []).indexOf(box.value) >= 0;
    });
    form.querySelectorAll("select").forEach(function (select) {
      var value = (state[select.name] || [])[0] || "";
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
      if (!known) select.add(new Option(value, value));
      select.value = value;
    });
  }

  // ``state`` with the values of the form's controls (parameters it has no control for keep theirs).
  function readForm(form, state) {
    var next = {};
    PARAMS.forEach(function (param) {
      var controls = form.querySelectorAll('[name="' + param + '"]');
      if (!controls.length) {
        next[param] = state[param].slice();
        return;
      }
      var values = [];
      controls.forEach(function (control) {
        if (control.type === "checkbox") {
          if (control.checked) values.push(control.value);
        } else if (control.value) {
          values.push(control.value);
        }
      });
      next[param] = values;
    });
    return next;
  }

  function apply(form, state) {
    var scope = form.closest("article") || document;
    var items = scope.querySelectorAll("[data-okr-filter-item]");
    var shown = 0;
    items.forEach(function (item) {
      var visible = matches(item, state);
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    var active = isActive(state);
    scope.querySelectorAll("[data-okr-filter-group]").forEach(function (group) {
      group.hidden = active && !group.querySelector("[data-okr-filter-item]:not([hidden])");
    });
    scope.querySelectorAll('[data-okr-list="tree"]').forEach(function (tree) {
      tree.toggleAttribute("data-okr-filtered", active);
    });
    scope.querySelectorAll("[data-okr-filter-note]").forEach(function (note) {
      note.hidden = !active;
    });
    var count = form.querySelector("[data-okr-filter-count]");
    if (count && count.dataset.okrText) {
      count.textContent = count.dataset.okrText
        .replace("{shown}", formatNumber(shown))
        .replace("{total}", formatNumber(items.length));
    }
    var empty = form.querySelector("[data-okr-filter-empty]");
    if (empty) empty.hidden = shown !== 0;
    var reset = form.querySelector('button[type="reset"]');
    if (reset) reset.disabled = !active;
  }

  function setUp(form) {
    if (form.hasAttribute("data-okr-ready")) return;
    form.setAttribute("data-okr-ready", "");
    var state = readQuery();
    showState(form, state);
    apply(form, state);
    form.hidden = false;
    form.addEventListener("change", function () {
      state = readForm(form, state);
      writeQuery(state);
      apply(form, state);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      state = { status: [], commitment: [], owner: [], tag: [] };
      showState(form, state);
      writeQuery(state);
      apply(form, state);
    });
  }

  function setUpAll() {
    document.querySelectorAll("form[data-okr-filters]").forEach(setUp);
  }

  if (typeof window.document$ !== "undefined" && window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
