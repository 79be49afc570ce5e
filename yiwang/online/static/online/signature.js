// Draw a signature on the canvas and send it with its form: the party page (online/party.html) and the mediator's
// signing page (online/signing.html). A form marked data-drawing-optional sends the drawing only if one was made.
(function () {
  var canvas = document.getElementById("signature-pad");
  if (!canvas) return;
  var ctx = canvas.getContext("2d"), form = canvas.closest("form"), drawing = false, drawn = false, last = null;
  ctx.lineWidth = 4; ctx.lineCap = "round"; ctx.strokeStyle = "#101040";
  function point(e) { var r = canvas.getBoundingClientRect(); return {x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height}; }
  canvas.addEventListener("pointerdown", function (e) { drawing = true; last = point(e); canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener("pointermove", function (e) { if (!drawing) return; var p = point(e); ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke(); last = p; drawn = true; });
  ["pointerup", "pointercancel"].forEach(function (t) { canvas.addEventListener(t, function () { drawing = false; }); });
  var clear = document.getElementById("clear-signature");
  if (clear) clear.addEventListener("click", function () { ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; });
  form.addEventListener("submit", function () {
    if (drawn || !form.hasAttribute("data-drawing-optional")) document.getElementById("drawing").value = canvas.toDataURL("image/png");
  });
})();
