/* A table's scroll box (templates/_macros/layout.html) says "scroll sideways" while, and
   only while, it holds more than it shows: on a phone, not on a desktop. */
(function () {
  document.documentElement.classList.add("js");
  var boxes = document.querySelectorAll(".table-box");
  function mark(box) {
    var scroller = box.querySelector(".table-scroll");
    box.classList.toggle("overflows", scroller.scrollWidth > scroller.clientWidth + 1);
  }
  function markAll() { boxes.forEach(mark); }
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(markAll);
    boxes.forEach(function (box) { observer.observe(box); });
  } else {
    window.addEventListener("resize", markAll);
  }
  markAll();
})();
