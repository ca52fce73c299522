/* Jiceng assessment dashboard: the charts of templates/assessment/includes/charts.html, drawn
 * with the vendored ECharts (static/vendor/echarts, canvas renderer), and the sparklines of
 * [data-sparkline] cells.
 *
 * Data: the JSON of <script id="dashboard-charts" type="application/json"> (json_script), keys
 * "ranking", "trend", "coverage" and "tree" (see the partial). Numbers may arrive as strings
 * (DjangoJSONEncoder writes a Decimal as "88.50"); null is "no score".
 *
 * Content-Security-Policy (script-src/style-src 'self'): nothing here writes a style=""
 * attribute or HTML with one. ECharts' own tooltip markup carries inline styles, so every
 * tooltip has a formatter that returns markup with classes only (portal.css). Sizes come from
 * CSS classes; ECharts sizes its canvas through the CSSOM, which the policy allows.
 *
 * Each chart container [data-chart] gets data-chart-state="ready" (or "empty", showing
 * 暂无数据) once drawn. Charts follow the window (resize, ResizeObserver) and the printer
 * (beforeprint/afterprint and matchMedia("print")): print sizes match portal.css's @media print.
 */
(function () {
  "use strict";

  var BLUE = "#3b82c4";
  var RED = "#dc3545";
  var SERIES_COLOURS = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#d63384"];
  var NARROW = 540; // px of the container below which bar charts lie on their side
  var MM = 96 / 25.4;
  // The charts' size on paper: portal.css's @media print gives .chart these widths and heights.
  var PRINT_WIDTH = Math.round(170 * MM);
  var PRINT_HEIGHT = { tree: Math.round(105 * MM), other: Math.round(75 * MM) };

  var labels = {
    empty: "暂无数据",
    score: "得分",
    change: "较上期",
    grids: "网格数",
    last: "末位",
    rank: "名次",
    open: "点击查看",
    remain: "待销号",
    ideal: "清零进度线"
  };

  // --- small helpers ---------------------------------------------------------------------

  function number(value) {
    if (value === null || value === undefined || value === "") {
      return null;
    }
    var n = typeof value === "number" ? value : parseFloat(value);
    return isFinite(n) ? n : null;
  }

  function list(value) {
    return Object.prototype.toString.call(value) === "[object Array]" ? value : [];
  }

  function escapeHtml(text) {
    return String(text === null || text === undefined ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function fixed(value, digits) {
    return value === null || value === undefined ? "—" : Number(value).toFixed(digits);
  }

  function percent(value) {
    return value === null || value === undefined ? "—" : (value * 100).toFixed(1) + "%";
  }

  function signed(value) {
    return (value > 0 ? "+" : "") + value.toFixed(2);
  }

  // Tooltip markup: classes only (no style=""), see portal.css "Dashboard charts".
  function tipTitle(text) {
    return '<div class="chart-tip-title">' + escapeHtml(text) + "</div>";
  }

  function tipRow(label, value, markerClass) {
    var marker = markerClass ? '<span class="chart-tip-marker ' + markerClass + '"></span>' : "";
    return (
      '<div class="chart-tip-row">' +
      marker +
      '<span class="chart-tip-label">' +
      escapeHtml(label) +
      '</span><span class="chart-tip-value">' +
      escapeHtml(value) +
      "</span></div>"
    );
  }

  function tipNote(text) {
    return '<div class="chart-tip-note">' + escapeHtml(text) + "</div>";
  }

  // The trend's value axis starts a little below the lowest score (in tens) and ends at 100.
  function scoreAxisMin(extent) {
    return Math.max(0, Math.floor((extent.min - 10) / 10) * 10);
  }

  function scoreAxisMax(extent) {
    return Math.max(100, Math.ceil(extent.max));
  }

  // Red (≤40) → amber (70) → green (100), the colours of portal.css's .score-scale: wide enough
  // that a 30 and a 59 are told apart, and light enough everywhere for the dark labels (5:1 at
  // least; a darker red-to-amber passes through oranges on which neither white nor dark text
  // reaches 4.5:1).
  var STOPS = [
    [40, [234, 112, 112]],
    [70, [255, 200, 60]],
    [100, [92, 184, 122]]
  ];

  function scoreRgb(score) {
    if (score === null) {
      return [173, 181, 189];
    }
    if (score <= STOPS[0][0]) {
      return STOPS[0][1];
    }
    for (var i = 1; i < STOPS.length; i++) {
      if (score <= STOPS[i][0]) {
        var t = (score - STOPS[i - 1][0]) / (STOPS[i][0] - STOPS[i - 1][0]);
        var a = STOPS[i - 1][1];
        var b = STOPS[i][1];
        return [0, 1, 2].map(function (k) {
          return Math.round(a[k] + (b[k] - a[k]) * t);
        });
      }
    }
    return STOPS[STOPS.length - 1][1];
  }

  function rgb(c) {
    return "rgb(" + c.join(",") + ")";
  }

  // The treemap's labels: dark on every colour of the scale.
  var LABEL_TEXT = "#212529";

  // "2026年第2季度" → "2026年\n第2季度": two short lines under a point instead of one long one.
  function twoLines(text) {
    var s = String(text);
    var at = s.indexOf("年");
    return at > 0 && at < s.length - 1 ? s.slice(0, at + 1) + "\n" + s.slice(at + 1) : s;
  }

  // Names lie flat under their bars when a typical (median) name fits its slot; longer ones
  // are cut with "…" (the tooltip has them whole). Otherwise they are turned 40°.
  function slantNames(names, slot) {
    var lengths = names
      .map(function (name) {
        return String(name).length;
      })
      .sort(function (a, b) {
        return a - b;
      });
    var median = lengths[Math.floor(lengths.length / 2)] || 0;
    if (median * 12 + 8 <= slot) {
      return 0;
    }
    return slot < 34 ? 60 : 40; // steeper when slots are too close for 40° names not to touch
  }

  // Value labels on the bars while there is room for them; the tooltip always has the value.
  function roomForValues(horizontal, slot) {
    return horizontal || slot >= 34;
  }

  function sizeClass(rows) {
    if (rows <= 6) {
      return "chart-rows-s";
    }
    if (rows <= 12) {
      return "chart-rows-m";
    }
    if (rows <= 20) {
      return "chart-rows-l";
    }
    return "chart-rows-xl";
  }

  // --- the four charts: data → ECharts option, or null when there is nothing to draw --------

  function ranking(data, ctx) {
    var names = list(data.names);
    var scores = list(data.scores);
    var last = list(data.last);
    var links = list(data.links);
    var n = Math.min(names.length, scores.length);
    if (!n) {
      return null;
    }
    var items = [];
    for (var i = 0; i < n; i++) {
      items.push({
        value: number(scores[i]),
        link: links[i] || "",
        last: !!last[i],
        itemStyle: { color: last[i] ? RED : BLUE }
      });
    }
    names = names.slice(0, n);
    var horizontal = ctx.narrow;
    var perBar = ctx.width / n;
    var rotate = horizontal ? 0 : slantNames(names, perBar);
    var categories = {
      type: "category",
      data: names,
      inverse: horizontal, // first place on top
      axisTick: { show: false },
      axisLabel: horizontal
        ? { width: 76, overflow: "truncate", fontSize: 12 }
        : { interval: 0, rotate: rotate, width: rotate ? 84 : Math.max(perBar - 6, 24), overflow: "truncate" }
    };
    var values = {
      type: "value",
      min: 0, // a bar's length is its score: bars start at zero
      max: scoreAxisMax,
      splitLine: { lineStyle: { type: "dashed" } }
    };
    return {
      rows: horizontal ? n : 0,
      option: {
        grid: { left: 8, right: horizontal ? 40 : 12, top: 24, bottom: 8, containLabel: true },
        xAxis: horizontal ? values : categories,
        yAxis: horizontal ? categories : values,
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var d = p.data || {};
            return (
              tipTitle(p.name) +
              tipRow(labels.score, fixed(d.value, 2)) +
              tipRow(labels.rank, p.dataIndex + 1 + "/" + n) +
              (d.last ? tipNote(labels.last) : "") +
              (d.link ? tipNote(labels.open) : "")
            );
          }
        },
        series: [
          {
            type: "bar",
            name: labels.score,
            data: items,
            barMaxWidth: 36,
            cursor: "pointer",
            label: {
              show: roomForValues(horizontal, perBar),
              position: horizontal ? "right" : "top",
              fontSize: 11,
              formatter: function (p) {
                return fixed(p.value, 1);
              }
            },
            labelLayout: { hideOverlap: true }
          }
        ]
      }
    };
  }

  function trend(data) {
    var periods = list(data.periods);
    var scores = list(data.scores).map(number);
    var n = Math.min(periods.length, scores.length);
    var any = scores.slice(0, n).some(function (s) {
      return s !== null;
    });
    if (!n || !any) {
      return null;
    }
    periods = periods.slice(0, n);
    scores = scores.slice(0, n);
    return {
      option: {
        grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
        xAxis: {
          type: "category",
          data: periods,
          boundaryGap: true,
          axisTick: { alignWithLabel: true },
          axisLabel: { interval: 0, formatter: twoLines, hideOverlap: true, lineHeight: 14 }
        },
        yAxis: {
          type: "value",
          min: scoreAxisMin,
          max: scoreAxisMax,
          splitLine: { lineStyle: { type: "dashed" } }
        },
        tooltip: {
          trigger: "axis",
          axisPointer: { type: "line" },
          formatter: function (params) {
            var p = params[0];
            var i = p.dataIndex;
            var html = tipTitle(periods[i]) + tipRow(labels.score, fixed(scores[i], 2));
            if (i > 0 && scores[i] !== null && scores[i - 1] !== null) {
              html += tipRow(labels.change, signed(scores[i] - scores[i - 1]));
            }
            return html;
          }
        },
        series: [
          {
            type: "line",
            name: labels.score,
            data: scores,
            connectNulls: true,
            symbol: "circle",
            symbolSize: 8,
            lineStyle: { width: 2.5, color: BLUE },
            itemStyle: { color: BLUE },
            areaStyle: { color: "rgba(59, 130, 196, 0.12)" },
            label: {
              show: true,
              position: "top",
              fontSize: 11,
              formatter: function (p) {
                return fixed(p.value, 1);
              }
            },
            labelLayout: { hideOverlap: true }
          }
        ]
      }
    };
  }

  function coverage(data, ctx) {
    var names = list(data.names);
    var groups = list(data.series).filter(function (s) {
      return s && list(s.values).length;
    });
    var n = names.length;
    if (!n || !groups.length) {
      return null;
    }
    var horizontal = ctx.narrow;
    var perGroup = ctx.width / n;
    var rotate = horizontal ? 0 : slantNames(names, perGroup);
    var categories = {
      type: "category",
      data: names,
      inverse: horizontal,
      axisTick: { show: false },
      axisLabel: horizontal
        ? { width: 76, overflow: "truncate", fontSize: 12 }
        : { interval: 0, rotate: rotate, width: rotate ? 84 : Math.max(perGroup - 6, 24), overflow: "truncate" }
    };
    var values = {
      type: "value",
      min: 0,
      max: 100,
      interval: horizontal ? 50 : 20,
      axisLabel: { formatter: "{value}%" },
      splitLine: { lineStyle: { type: "dashed" } }
    };
    var shares = groups.map(function (s) {
      return list(s.values)
        .slice(0, n)
        .map(function (v) {
          var x = number(v);
          return x === null ? null : x;
        });
    });
    return {
      rows: horizontal ? Math.ceil(n * (0.8 + 0.45 * groups.length)) : 0,
      option: {
        color: SERIES_COLOURS,
        legend: { top: 0, itemWidth: 14, itemHeight: 10 },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        xAxis: horizontal ? values : categories,
        yAxis: horizontal ? categories : values,
        tooltip: {
          trigger: "axis",
          axisPointer: { type: "shadow" },
          formatter: function (params) {
            var i = params.length ? params[0].dataIndex : 0;
            var html = tipTitle(names[i]);
            groups.forEach(function (s, k) {
              html += tipRow(s.name, percent(shares[k][i]), "chart-tip-c" + (k % SERIES_COLOURS.length));
            });
            return html;
          }
        },
        series: groups.map(function (s, k) {
          return {
            type: "bar",
            name: s.name,
            barMaxWidth: 18,
            barGap: "10%",
            data: shares[k].map(function (v) {
              return v === null ? null : Math.round(v * 1000) / 10;
            })
          };
        })
      }
    };
  }

  function treeNodes(nodes) {
    return list(nodes).map(function (node) {
      var children = treeNodes(node.children);
      var size = number(node.size);
      if (size === null || size <= 0) {
        size = children.reduce(function (sum, c) {
          return sum + c.value[0];
        }, 0);
      }
      var score = number(node.value);
      var colour = scoreRgb(score);
      var item = {
        name: node.name,
        value: [size > 0 ? size : 1, score],
        grids: number(node.size),
        link: node.link || "",
        itemStyle: { color: rgb(colour) }
      };
      if (children.length) {
        item.children = children;
      }
      return item;
    });
  }

  function tree(data, ctx) {
    var nodes = treeNodes(data.children);
    if (!nodes.length) {
      return null;
    }
    return {
      option: {
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var d = p.data || {};
            var path = (p.treePathInfo || [])
              .slice(1)
              .map(function (step) {
                return step.name;
              })
              .join(" › ");
            return (
              tipTitle(path || p.name) +
              tipRow(labels.score, fixed(d.value ? d.value[1] : null, 2)) +
              (d.grids !== null && d.grids !== undefined ? tipRow(labels.grids, String(d.grids)) : "") +
              (d.link ? tipNote(labels.open) : "")
            );
          }
        },
        series: [
          {
            type: "treemap",
            name: data.name || "",
            data: nodes,
            roam: false,
            nodeClick: false,
            // On a phone only the first level: its blocks are big enough to read and to tap.
            leafDepth: ctx.narrow ? 1 : null,
            drillDownIcon: "",
            breadcrumb: { show: false },
            left: 0,
            right: 0,
            top: 0,
            bottom: 0,
            cursor: "pointer",
            label: {
              show: true,
              fontSize: 13,
              lineHeight: 17,
              color: LABEL_TEXT,
              overflow: "truncate",
              formatter: function (p) {
                var score = p.data && p.data.value ? p.data.value[1] : null;
                return p.name + "\n" + fixed(score, 1);
              }
            },
            upperLabel: {
              show: true,
              height: 24,
              fontSize: 13,
              fontWeight: "bold",
              color: "#212529",
              overflow: "truncate",
              formatter: function (p) {
                var score = p.data && p.data.value ? p.data.value[1] : null;
                return p.name + "  " + fixed(score, 1);
              }
            },
            itemStyle: { borderColor: "#fff", borderWidth: 1, gapWidth: 1 },
            // The root (the area itself) has no band of its own; a parent's band is light grey.
            levels: [
              { itemStyle: { borderColor: "#fff", borderWidth: 0, gapWidth: 3 }, upperLabel: { show: false } },
              { itemStyle: { borderColor: "#e9ecef", borderWidth: 2, gapWidth: 1 } },
              { itemStyle: { borderColor: "rgba(255,255,255,0.7)", borderWidth: 1, gapWidth: 1 } }
            ]
          }
        ]
      }
    };
  }

  // The ledger's burn-down (property 台账进度): {dates, open, ideal}; open is null after today.
  function burndown(data) {
    var dates = list(data.dates);
    var open = list(data.open).map(number);
    var ideal = list(data.ideal).map(number);
    if (!dates.length || !open.some(function (v) { return v !== null; })) {
      return null;
    }
    return {
      option: {
        // Room for half the first and last dates, centred on the axis's ends (a phone cut the first off).
        grid: { left: 36, right: 36, top: 36, bottom: 8, containLabel: true },
        legend: { top: 0, data: [labels.remain, labels.ideal] },
        xAxis: { type: "category", data: dates, boundaryGap: false, axisLabel: { hideOverlap: true } },
        yAxis: { type: "value", min: 0, minInterval: 1, splitLine: { lineStyle: { type: "dashed" } } },
        tooltip: {
          trigger: "axis",
          axisPointer: { type: "line" },
          formatter: function (params) {
            var i = params[0].dataIndex;
            return tipTitle(dates[i]) + tipRow(labels.remain, open[i] === null ? "—" : String(open[i])) +
              tipRow(labels.ideal, fixed(ideal[i], 1));
          }
        },
        series: [
          {
            type: "line",
            name: labels.remain,
            data: open,
            step: "end",
            symbol: "circle",
            symbolSize: 6,
            lineStyle: { width: 2.5, color: RED },
            itemStyle: { color: RED },
            areaStyle: { color: "rgba(220, 53, 69, 0.10)" }
          },
          {
            type: "line",
            name: labels.ideal,
            data: ideal,
            symbol: "none",
            lineStyle: { width: 1.5, type: "dashed", color: BLUE },
            itemStyle: { color: BLUE }
          }
        ]
      }
    };
  }

  var BUILDERS = { ranking: ranking, trend: trend, coverage: coverage, tree: tree, burndown: burndown };

  // --- one chart ---------------------------------------------------------------------------

  function fontFamily() {
    var family = window.getComputedStyle ? window.getComputedStyle(document.body).fontFamily : "";
    return family || "sans-serif";
  }

  function Chart(el, key, data) {
    this.el = el;
    this.key = key;
    this.data = data || {};
    this.instance = null;
    this.layout = null; // "narrow", "wide" or "print": the option is rebuilt when it changes
    this.rowsClass = "";
    this.sized = false; // resized to an explicit (paper) size
  }

  Chart.prototype.showEmpty = function () {
    var message = document.createElement("div");
    message.className = "chart-empty-text";
    message.textContent = labels.empty;
    this.el.textContent = "";
    this.el.appendChild(message);
    this.el.classList.add("chart-empty");
    var card = this.el.closest ? this.el.closest(".card") : null;
    if (card) {
      card.classList.add("chart-card-empty"); // its footer (legend, hints) hides
    }
    this.el.setAttribute("data-chart-state", "empty");
  };

  Chart.prototype.render = function (printing) {
    var el = this.el;
    var layout = printing ? "print" : el.clientWidth < NARROW ? "narrow" : "wide";
    var ctx = { narrow: layout === "narrow", width: printing ? PRINT_WIDTH : el.clientWidth || 600 };
    var built = BUILDERS[this.key](this.data, ctx);
    if (!built) {
      this.showEmpty();
      return;
    }
    var rowsClass = built.rows ? sizeClass(built.rows) : "";
    if (rowsClass !== this.rowsClass) {
      if (this.rowsClass) {
        el.classList.remove(this.rowsClass);
      }
      if (rowsClass) {
        el.classList.add(rowsClass);
      }
      this.rowsClass = rowsClass;
    }
    var option = built.option;
    option.animation = !printing;
    option.textStyle = { fontFamily: fontFamily() };
    option.aria = { enabled: true };
    if (option.tooltip) {
      option.tooltip.confine = true;
      option.tooltip.className = "chart-tip";
      option.tooltip.transitionDuration = 0.2;
    }
    if (!this.instance) {
      this.instance = window.echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
      this.instance.on("click", function (params) {
        var link = params.data && params.data.link;
        if (link) {
          window.location.assign(link);
        }
      });
    }
    this.instance.setOption(option, true);
    this.layout = layout;
    el.setAttribute("data-chart-state", "ready");
  };

  // size: {width, height} for the printer, or nothing to fit the container.
  Chart.prototype.fit = function (printing, size) {
    if (!this.instance) {
      return;
    }
    var layout = printing ? "print" : this.el.clientWidth < NARROW ? "narrow" : "wide";
    if (layout !== this.layout) {
      this.render(printing);
    }
    var width = size ? size.width : this.el.clientWidth;
    var height = size ? size.height : this.el.clientHeight;
    if (width === this.instance.getWidth() && height === this.instance.getHeight() && !this.sized === !size) {
      return; // a phone's address bar came or went: nothing to redraw
    }
    this.sized = !!size;
    // An explicit size sticks in ECharts until "auto" is asked for again.
    this.instance.resize({ width: size ? size.width : "auto", height: size ? size.height : "auto" });
  };

  // --- sparklines: <td data-sparkline="80.1,82.3,85.0"> → a small inline SVG trend line -------

  var SVG = "http://www.w3.org/2000/svg";

  function sparkline(host) {
    if (host.getAttribute("data-sparkline-drawn")) {
      return;
    }
    var raw = (host.getAttribute("data-sparkline") || "").split(",");
    var points = [];
    raw.forEach(function (token, i) {
      var v = number(token.trim());
      if (v !== null) {
        points.push([i, v]);
      }
    });
    if (!points.length) {
      return;
    }
    var width = 64;
    var height = 18;
    var pad = 2.5;
    var values = points.map(function (p) {
      return p[1];
    });
    var min = Math.min.apply(null, values);
    var max = Math.max.apply(null, values);
    var span = max - min || 1;
    var stepX = raw.length > 1 ? (width - 2 * pad) / (raw.length - 1) : 0;
    var coords = points.map(function (p) {
      var x = raw.length > 1 ? pad + p[0] * stepX : width / 2;
      var y = max === min ? height / 2 : pad + (height - 2 * pad) * (1 - (p[1] - min) / span);
      return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
    });
    var first = values[0];
    var lastValue = values[values.length - 1];
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("role", "img");
    svg.setAttribute(
      "class",
      "sparkline-svg " + (lastValue > first ? "sparkline-up" : lastValue < first ? "sparkline-down" : "sparkline-flat")
    );
    var title = document.createElementNS(SVG, "title");
    title.textContent =
      labels.score +
      "：" +
      values
        .map(function (v) {
          return fixed(v, 1);
        })
        .join(" → ");
    svg.setAttribute("aria-label", title.textContent);
    svg.appendChild(title);
    if (coords.length > 1) {
      var line = document.createElementNS(SVG, "polyline");
      line.setAttribute(
        "points",
        coords
          .map(function (c) {
            return c.join(",");
          })
          .join(" ")
      );
      line.setAttribute("class", "sparkline-line");
      svg.appendChild(line);
    }
    var end = coords[coords.length - 1];
    var dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("cx", end[0]);
    dot.setAttribute("cy", end[1]);
    dot.setAttribute("r", 2);
    dot.setAttribute("class", "sparkline-dot");
    svg.appendChild(dot);
    host.appendChild(svg);
    host.setAttribute("data-sparkline-drawn", "1");
  }

  function drawSparklines(root) {
    var hosts = root.querySelectorAll ? root.querySelectorAll("[data-sparkline]") : [];
    Array.prototype.forEach.call(hosts, sparkline);
    if (root.matches && root.matches("[data-sparkline]")) {
      sparkline(root);
    }
  }

  // --- the page ------------------------------------------------------------------------------

  var charts = [];
  var printing = false;

  function readData() {
    var script = document.getElementById("dashboard-charts");
    if (!script) {
      return {};
    }
    try {
      var parsed = JSON.parse(script.textContent || "null");
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch (error) {
      return {};
    }
  }

  function readLabels() {
    var box = document.querySelector("[data-chart-labels]");
    if (!box) {
      return;
    }
    Object.keys(labels).forEach(function (key) {
      var text = box.getAttribute("data-label-" + key);
      if (text) {
        labels[key] = text;
      }
    });
  }

  function fitAll(sizeFor) {
    charts.forEach(function (chart) {
      chart.fit(printing, sizeFor ? sizeFor(chart) : null);
    });
  }

  var queued = false;
  function fitSoon() {
    if (queued || printing) {
      return;
    }
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      fitAll();
    });
  }

  function printSize(chart) {
    return { width: PRINT_WIDTH, height: chart.key === "tree" ? PRINT_HEIGHT.tree : PRINT_HEIGHT.other };
  }

  function startPrinting() {
    printing = true;
    fitAll(printSize);
  }

  function stopPrinting() {
    if (!printing) {
      return;
    }
    printing = false;
    fitAll();
  }

  function start() {
    readLabels();
    drawSparklines(document);
    document.addEventListener("htmx:load", function (event) {
      drawSparklines(event.target);
    });

    var containers = document.querySelectorAll("[data-chart]");
    if (!containers.length) {
      return;
    }
    var data = readData();
    Array.prototype.forEach.call(containers, function (el) {
      var key = el.getAttribute("data-chart");
      if (!BUILDERS[key]) {
        return;
      }
      var chart = new Chart(el, key, data[key]);
      if (!window.echarts) {
        chart.showEmpty();
        return;
      }
      chart.render(false);
      if (chart.instance) {
        charts.push(chart);
      }
    });
    if (!charts.length) {
      return;
    }

    window.addEventListener("resize", fitSoon);
    if (window.ResizeObserver) {
      var observer = new window.ResizeObserver(fitSoon);
      charts.forEach(function (chart) {
        observer.observe(chart.el);
      });
    }
    // Printing: beforeprint comes before the print layout, so the charts take their paper
    // size (portal.css @media print); the print media query then fits them to the real page.
    window.addEventListener("beforeprint", startPrinting);
    window.addEventListener("afterprint", stopPrinting);
    if (window.matchMedia) {
      var print = window.matchMedia("print");
      var onChange = function (event) {
        if (event.matches) {
          printing = true;
          fitAll(printSize);
        } else {
          stopPrinting();
        }
      };
      if (print.addEventListener) {
        print.addEventListener("change", onChange);
      } else if (print.addListener) {
        print.addListener(onChange);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
