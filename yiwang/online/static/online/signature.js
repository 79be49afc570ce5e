// The party page: draw a signature on the canvas and send it with the code (loaded by online/party.html).
(function () {
  var canvas = document.getElementById("signature-pad"), ctx = canvas.getContext("2d"), drawing = false, last = null;
  ctx.lineWidth = 4; ctx.lineCap = "round"; ctx.strokeStyle = "#101040";
  function point(e) { var r = canvas.getBoundingClientRect(); return {x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height}; }
  canvas.addEventListener("pointerdown", function (e) { drawing = true; last = point(e); canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener("pointermove", function (e) { if (!drawing) return; var p = point(e); ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke(); last = p; });
  ["pointerup", "pointercancel"].forEach(function (t) { canvas.addEventListener(t, function () { drawing = false; }); });
  document.getElementById("clear-signature").addEventListener("click", function () { ctx.clearRect(0, 0, canvas.width, canvas.height); });
  document.getElementById("sign-form").addEventListener("submit", function () { document.getElementById("drawing").value = canvas.toDataURL("image/png"); });
})();
