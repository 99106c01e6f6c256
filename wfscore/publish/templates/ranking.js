(function () {
  var table = document.getElementById("T_ranking");
  if (!table || !table.tBodies.length) return;
  var body = table.tBodies[0], heads = table.tHead ? table.tHead.rows[0].cells : [];
  var box = document.createElement("div");
  box.className = "wf-rank-tools";
  var input = document.createElement("input");
  input.type = "search";
  input.placeholder = SEARCH_LABEL;
  input.setAttribute("aria-label", SEARCH_LABEL);
  var count = document.createElement("span");
  box.appendChild(input);
  box.appendChild(count);
  table.parentNode.parentNode.insertBefore(box, table.parentNode);
  function shown() {
    var n = 0, rows = body.rows;
    for (var i = 0; i < rows.length; i++) if (!rows[i].hidden) n++;
    count.textContent = " " + n + " / " + rows.length;
  }
  input.addEventListener("input", function () {
    var q = input.value.trim().toLowerCase(), rows = body.rows;
    for (var i = 0; i < rows.length; i++)
      rows[i].hidden = q !== "" && rows[i].textContent.toLowerCase().indexOf(q) < 0;
    shown();
  });
  function key(cell) {
    var text = cell.textContent.trim(), x = parseFloat(text);
    return /^-?[0-9.]+$/.test(text) && !isNaN(x) ? x : text;
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    th.tabIndex = 0;
    th.title = SORT_LABEL;
    th.classList.add("wf-sortable");
    function sort() {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a.cells[col]), y = key(b.cells[col]);
        var c = (typeof x === typeof y) ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === "number" ? -1 : 1);
        return up ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
  });
  shown();
})();
