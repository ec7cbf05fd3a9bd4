// The "now" line across the timetable, drawn from the visitor's clock: the page itself is
// shared and kept, so it cannot say what time it is. Rows grow with what they hold, so the
// line is placed between the two half-hour marks around now rather than by a fixed scale.
(function () {
  var body = document.querySelector(".tt-body[data-begin]");
  if (!body) return;
  var line = body.querySelector(".tt-now");
  var finish = Date.parse(body.dataset.finish);
  var marks = Array.prototype.map.call(body.querySelectorAll(".tt-time time"), function (node) {
    return { at: Date.parse(node.getAttribute("datetime")), box: node.parentElement };
  });

  function place() {
    var now = Date.now();
    if (!marks.length || now < marks[0].at || now >= finish) {
      line.hidden = true;
      return;
    }
    var i = 0;
    while (i + 1 < marks.length && marks[i + 1].at <= now) i += 1;
    var top = marks[i].box.offsetTop;
    var next = i + 1 < marks.length ? marks[i + 1].box.offsetTop : body.offsetHeight;
    var until = i + 1 < marks.length ? marks[i + 1].at : finish;
    line.style.top = top + ((next - top) * (now - marks[i].at)) / (until - marks[i].at) + "px";
    line.hidden = false;
  }

  place();
  setInterval(place, 30000);
  window.addEventListener("resize", place);
})();
