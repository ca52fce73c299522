/* Jiceng portal: the one script every page loads (after bootstrap and htmx).
 *
 * - htmx requests that change data carry Django's CSRF token, taken from
 *   <meta name="csrf-token"> (base.html) or, failing that, the csrftoken cookie.
 * - <select data-autosubmit> submits its form on change,
 *   so templates need no inline script.
 * - table[data-sortable]: a click on a th[data-sort] header sorts the body's rows by that
 *   column's td[data-value] (or text), "number" or "text"; a second click reverses.
 * - [data-print] buttons open the browser's print dialog (print to PDF for 上报).
 * - [data-show-if="role=unit_account"] (or "role!=unit_account") is shown only while the field
 *   "role" of its form has (or has not) that value (or one of values joined by "|"); without a script everything shows, and the
 *   server ignores what does not apply.
 * - [data-percent] elements (progress bars) get their width from that attribute, on
 *   load and whenever htmx swaps new content in: the Content-Security-Policy allows no
 *   style="" attribute, but setting element.style from a script is allowed.
 * - The area tree (orgs/area_list.html): a node's .area-toggle fetches its children the first
 *   time it is opened (htmx, from the node's data-children-url: one request per level opened),
 *   then opens and closes them without asking again.
 * - [data-area-picker] (orgs.places.AreaPicker): htmx lists the areas that what is typed
 *   names, as radio buttons the form reads (the page works without this script); choosing one
 *   says it in [data-picked-label] ([data-pick-label]); the [data-picker-clear] choice hides it.
 * - A form posted is posted once: its submit buttons are disabled (and say 正在提交…) until
 *   the next page; a second click does nothing. The add forms also carry a one-time token
 *   (core.views.generic), so that a POST replayed anyway creates nothing twice.
 * - [data-check-all="name"] buttons tick (or, all ticked, untick) every checkbox of that name
 *   in their form: 全选 for attendance.
 * - input[data-file-input] (core.widgets.FileInput) is hidden behind its 选择文件 button: its
 *   [data-file-name] line says the file(s) chosen, or its data-none text again when none is.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      return meta.content;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  var SAFE_METHODS = /^(GET|HEAD|OPTIONS|TRACE)$/i;

  document.addEventListener("htmx:configRequest", function (event) {
    if (!SAFE_METHODS.test(event.detail.verb || "")) {
      event.detail.headers["X-CSRFToken"] = csrfToken();
    }
  });

  function setWidthsFromPercent(root) {
    var bars = root.querySelectorAll ? root.querySelectorAll("[data-percent]") : [];
    if (root.matches && root.matches("[data-percent]")) {
      bars = [root].concat(Array.prototype.slice.call(bars));
    }
    Array.prototype.forEach.call(bars, function (bar) {
      var percent = Math.min(100, Math.max(0, parseFloat(bar.getAttribute("data-percent")) || 0));
      bar.style.width = percent + "%";
    });
  }

  setWidthsFromPercent(document);
  document.addEventListener("htmx:load", function (event) {
    setWidthsFromPercent(event.target);
  });

  function cellValue(row, index, numeric) {
    var cell = row.children[index];
    var raw = cell ? (cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent) : "";
    if (!numeric) {
      return raw.trim();
    }
    var number = parseFloat(raw);
    return isNaN(number) ? null : number;
  }

  function sortTable(header) {
    var table = header.closest("table");
    var body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(header.parentNode.children, header);
    var numeric = header.getAttribute("data-sort") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(header.parentNode.children, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric);
      var y = cellValue(b, index, numeric);
      if (x === null || x === "") { return 1; }  // empty cells last, either way
      if (y === null || y === "") { return -1; }
      var order = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
  }

  function setOpen(button, list, open) {
    list.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function toggleAreaNode(button) {
    var node = button.closest("[data-children-url]");
    var list = document.getElementById(button.getAttribute("aria-controls"));
    if (!node || !list) {
      return;
    }
    if (button.getAttribute("aria-expanded") === "true") {
      setOpen(button, list, false);
      return;
    }
    if (node.hasAttribute("data-loaded")) {
      setOpen(button, list, true);
      return;
    }
    if (node.hasAttribute("data-loading") || !window.htmx) {
      return;
    }
    node.setAttribute("data-loading", "");
    button.setAttribute("aria-busy", "true");
    function done() {
      node.removeAttribute("data-loading");
      button.removeAttribute("aria-busy");
      if (list.children.length) {
        node.setAttribute("data-loaded", "");
        setOpen(button, list, true);
      }
    }
    window.htmx.ajax("GET", node.getAttribute("data-children-url"), { target: list, swap: "innerHTML" }).then(done, done);
  }

  document.addEventListener("click", function (event) {
    var areaToggle = event.target.closest && event.target.closest(".area-tree .area-toggle");
    if (areaToggle) {
      toggleAreaNode(areaToggle);
      return;
    }
    var header = event.target.closest && event.target.closest("table[data-sortable] th[data-sort]");
    if (header) {
      sortTable(header);
      return;
    }
    var printer = event.target.closest && event.target.closest("[data-print]");
    if (printer) {
      window.print();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form || (form.method || "").toLowerCase() !== "post" || form.hasAttribute("hx-post")) {
      return;
    }
    if (form.getAttribute("data-submitting") === "1") {
      event.preventDefault();  // the second click of a double click
      return;
    }
    form.setAttribute("data-submitting", "1");
    var buttons = form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
    // Disabled once the browser has taken the submitter's name and value into the post.
    window.setTimeout(function () {
      Array.prototype.forEach.call(buttons, function (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
        if (button.tagName === "BUTTON" && !button.hasAttribute("data-label")) {
          button.setAttribute("data-label", button.innerHTML);
          button.textContent = button.getAttribute("data-submitting-label") || "正在提交…";
        }
      });
    }, 0);
  });

  // Back to a page kept by the browser (bfcache): its forms may be posted again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), function (form) {
      form.removeAttribute("data-submitting");
      Array.prototype.forEach.call(form.querySelectorAll("[aria-busy]"), function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
        if (button.hasAttribute("data-label")) {
          button.innerHTML = button.getAttribute("data-label");
          button.removeAttribute("data-label");
        }
      });
    });
  });

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("[data-check-all]");
    if (!toggle) {
      return;
    }
    event.preventDefault();
    var scope = toggle.closest("form") || document;
    var boxes = scope.querySelectorAll('input[type="checkbox"][name="' + toggle.getAttribute("data-check-all") + '"]');
    var all = Array.prototype.every.call(boxes, function (box) { return box.checked; });
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.checked === all) {
        box.checked = !all;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    var picker = el && el.type === "radio" && el.closest && el.closest("[data-area-picker]");
    if (picker) {
      var label = el.getAttribute("data-pick-label") || "";
      picker.querySelector("[data-picked-label]").textContent = label;
      picker.querySelector("[data-picked-line]").hidden = !label;
      return;
    }
    if (el && el.matches && el.matches("[data-file-input]")) {
      showChosenFiles(el);
      return;
    }
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) {
        el.form.requestSubmit();
      } else {
        el.form.submit();
      }
    }
  });

  function showChosenFiles(input) {
    var line = input.closest(".file-picker").querySelector("[data-file-name]");
    var names = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
    if (!names.length) {
      line.textContent = line.getAttribute("data-none");
    } else if (names.length === 1) {
      line.textContent = names[0];
    } else {
      line.textContent = line.getAttribute("data-many").replace("{n}", names.length) + names.join("、");
    }
    line.classList.toggle("text-body-secondary", !names.length);
  }

  function applyShowIf(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-show-if]"), function (block) {
      var match = block.getAttribute("data-show-if").match(/^([\w-]+)(!?=)(.*)$/);
      var form = block.closest("form");
      if (!match || !form || !form.elements[match[1]]) {
        return;
      }
      var equal = match[3].split("|").indexOf(form.elements[match[1]].value) !== -1;
      block.hidden = match[2] === "=" ? !equal : equal;
    });
  }

  applyShowIf(document);
  document.addEventListener("change", function (event) {
    if (event.target && event.target.form) {
      applyShowIf(event.target.form);
    }
  });
})();
