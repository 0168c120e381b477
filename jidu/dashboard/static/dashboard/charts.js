// Dashboard charts (ECharts, served from node_modules by Django). Clicking a bar opens the orders behind it.
(function () {
  function draw() {
    var el = document.getElementById("dashboard-data");
    if (!el || typeof echarts === "undefined") return;
    var data = JSON.parse(el.textContent);
    function bar(id, rows, opts) {
      var node = document.getElementById(id);
      if (!node) return;
      var old = echarts.getInstanceByDom(node);
      if (old) old.dispose();
      var chart = echarts.init(node);
      chart.setOption(Object.assign({
        tooltip: { trigger: "axis" },
        grid: { left: 48, right: 16, top: 24, bottom: 64 },
        xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { rotate: 40 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: rows.map(function (r) { return r.n; }) }]
      }, opts || {}));
      chart.on("click", function (p) { var r = rows[p.dataIndex]; if (r && r.link) window.location = r.link; });
    }
    var trend = data.trend.map(function (r) { return { name: r.day.slice(5), n: r.n, link: r.link, holiday: r.holiday }; });
    bar("chart-trend", trend, {
      xAxis: { type: "category", data: trend.map(function (r) { return r.name; }) },
      tooltip: { trigger: "axis", formatter: function (ps) { var r = trend[ps[0].dataIndex];
        return r.name + (r.holiday ? "（" + r.holiday + "）" : "") + "：" + r.n + " 件"; } },
      series: [{ type: "line", data: trend.map(function (r) { return r.n; }),
        markArea: { itemStyle: { color: "rgba(232,113,10,0.12)" },
          data: trend.filter(function (r) { return r.holiday; }).map(function (r) {
            return [{ xAxis: r.name, name: r.holiday }, { xAxis: r.name }]; }) } }]
    });
    bar("chart-areas", data.areas);
    bar("chart-fields", data.fields);
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSwap", draw);
})();
