// The visit form: fill the position from the phone's location (loaded by grids/visit_form.html).
document.getElementById("locate").addEventListener("click", function () {
  if (!navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition(function (pos) {
    document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
    document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
    document.getElementById("located").textContent = pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5);
  });
});
