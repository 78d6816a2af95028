/* mkdocs-okrs: the full-screen viewer of the alignment graphs.
 *
 * Every graph is shown fitted to the page's column (okrs-graphs.css). When it is
 * drawn smaller than its natural size, its "Full screen" button is shown: it opens
 * the graph's <dialog>, with zoom (buttons, + - 0, Ctrl+wheel) and pan (drag,
 * wheel, touch, arrow keys). Esc or Close closes it and gives the focus back to the
 * button. The drawing itself is moved into the dialog and back, never copied, so its
 * ids stay unique and its links keep working.
 *
 * The script writes no text: the button, the dialog and their labels are in the
 * page's HTML (graphs/site.py, VIEWER_TEXT). Without the script, the fitted graph
 * stays and the button is never shown. It runs on every page Material's instant
 * navigation loads (document$), else once on DOMContentLoaded.
 */
(function () {
  "use strict";

  var STEP = 1.25; // zoom factor of one step
  var MAX_SCALE = 4;
  var READABLE = 0.75; // the viewer opens at least this large (node titles >= 8px)
  var PAN = 0.15; // share of the visible area an arrow key moves

  function setup(figure) {
    var canvas = figure.querySelector(".okr-graph__canvas");
    var svg = canvas && canvas.querySelector("svg");
    var open = figure.querySelector(".okr-graph__open");
    var dialog = figure.querySelector("dialog.okr-graph__viewer");
    if (!svg || !open || !dialog || typeof dialog.showModal !== "function" || figure.okrViewer) {
      return;
    }
    figure.okrViewer = true;
    var stage = dialog.querySelector(".okr-graph__stage");
    var width = parseFloat(svg.getAttribute("width")) || 1;
    var height = parseFloat(svg.getAttribute("height")) || 1;
    var scale = 1;

    // The button only when the fitted graph is smaller than its natural size.
    function update() {
      if (!dialog.open) open.hidden = canvas.clientWidth >= width;
    }
    update();
    if (window.ResizeObserver) new ResizeObserver(update).observe(canvas);
    else window.addEventListener("resize", update);

    function fit() {
      return Math.min(stage.clientWidth / width, stage.clientHeight / height);
    }
    function start() {
      return Math.min(1, Math.max(fit(), READABLE));
    }

    // Zoom to `next`, keeping the point at (x, y) of the stage (default: its centre) in place.
    function zoom(next, x, y) {
      next = Math.min(MAX_SCALE, Math.max(Math.min(fit(), start()), next));
      var box = stage.getBoundingClientRect();
      if (x === undefined) {
        x = box.left + stage.clientWidth / 2;
        y = box.top + stage.clientHeight / 2;
      }
      var before = svg.getBoundingClientRect();
      var gx = (x - before.left) / scale, gy = (y - before.top) / scale; // the point, unscaled
      scale = next;
      svg.style.width = width * scale + "px";
      svg.style.height = height * scale + "px";
      var after = svg.getBoundingClientRect();
      stage.scrollLeft += after.left + gx * scale - x;
      stage.scrollTop += after.top + gy * scale - y;
    }

    // The start view: the whole graph when it is readable so, else readable from the
    // top (where the root is), centred.
    function reset() {
      scale = start();
      svg.style.width = width * scale + "px";
      svg.style.height = height * scale + "px";
      stage.scrollLeft = (stage.scrollWidth - stage.clientWidth) / 2;
      stage.scrollTop = 0;
    }

    var actions = {
      "zoom-in": function () { zoom(scale * STEP); },
      "zoom-out": function () { zoom(scale / STEP); },
      "reset": reset,
      "close": function () { dialog.close(); }
    };

    open.addEventListener("click", function () {
      stage.appendChild(svg);
      dialog.showModal();
      reset();
      stage.focus();
    });
    dialog.addEventListener("close", function () {
      svg.style.width = svg.style.height = "";
      canvas.appendChild(svg);
      update();
      open.focus();
    });
    dialog.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button[data-okr-graph]");
      if (button && actions[button.getAttribute("data-okr-graph")]) {
        actions[button.getAttribute("data-okr-graph")]();
      }
    });

    var KEYS = {
      "+": actions["zoom-in"], "=": actions["zoom-in"],
      "-": actions["zoom-out"], "_": actions["zoom-out"], "\u2212": actions["zoom-out"],
      "0": reset,
      ArrowLeft: function () { stage.scrollLeft -= stage.clientWidth * PAN; },
      ArrowRight: function () { stage.scrollLeft += stage.clientWidth * PAN; },
      ArrowUp: function () { stage.scrollTop -= stage.clientHeight * PAN; },
      ArrowDown: function () { stage.scrollTop += stage.clientHeight * PAN; }
    };
    dialog.addEventListener("keydown", function (event) {
      event.stopPropagation(); // not to the page behind (Material's keyboard shortcuts)
      var action = KEYS[event.key];
      if (action && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        action();
      }
    });

    // Ctrl+wheel (and a touchpad's pinch) zooms at the pointer; a plain wheel scrolls.
    stage.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) return;
      event.preventDefault();
      zoom(event.deltaY < 0 ? scale * STEP : scale / STEP, event.clientX, event.clientY);
    }, { passive: false });

    // Dragging with the mouse pans (touch scrolls the stage natively). Once the pointer
    // has moved, the stage captures it: the drag then ends in no click on a node.
    var drag = null;
    stage.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "mouse" || event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, left: stage.scrollLeft, top: stage.scrollTop, moved: false };
    });
    stage.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 4) {
        drag.moved = true;
        stage.setPointerCapture(event.pointerId);
        stage.classList.add("okr-graph__stage--dragging");
      }
      if (drag.moved) {
        stage.scrollLeft = drag.left - dx;
        stage.scrollTop = drag.top - dy;
      }
    });
    function endDrag() {
      drag = null;
      stage.classList.remove("okr-graph__stage--dragging");
    }
    stage.addEventListener("pointerup", endDrag);
    stage.addEventListener("pointercancel", endDrag);
    stage.addEventListener("dragstart", function (event) { event.preventDefault(); });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("figure.okr-graph"), setup);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
