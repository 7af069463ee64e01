// Draw the console's map from the JSON the page carries (#map-data, console/maps.py) with the
// vendored Leaflet. Tiles only when the organisation's own tile server is configured; without
// one the points and station names sit on a plain background and nothing is requested at all.
// Every text comes from the server, already translated, and is set as text, never as HTML.
(() => {
  "use strict";

  const holder = document.getElementById("map");
  const data = document.getElementById("map-data");
  if (!holder || !data || !window.L) return;
  const config = JSON.parse(data.textContent);
  const L = window.L;

  const map = L.map(holder, {
    zoomControl: false,
    attributionControl: Boolean(config.tiles && config.attribution),
    keyboard: true,
  });
  L.control
    .zoom({ zoomInTitle: config.words.zoomIn, zoomOutTitle: config.words.zoomOut })
    .addTo(map);
  if (config.tiles) {
    L.tileLayer(config.tiles, { maxZoom: 19, attribution: config.attribution }).addTo(map);
    if (map.attributionControl) map.attributionControl.setPrefix(false);
  } else {
    holder.classList.add("no-tiles");
  }

  function text(value) {
    const span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  const drawn = [];
  const half = config.cell / 2;
  for (const c of config.cells) {
    // The coarse cell itself, not a pin: the map claims no more precision than it has.
    const cell = L.rectangle(
      [
        [c.lat - half, c.lon - half],
        [c.lat + half, c.lon + half],
      ],
      { className: c.waiting ? "map-cell is-waiting" : "map-cell", weight: 1 },
    );
    cell.bindTooltip(text(c.label));
    drawn.push(cell.addTo(map));
  }
  for (const b of config.bases) {
    const base = L.circleMarker([b.lat, b.lon], { className: "map-base", radius: 5 });
    base.bindTooltip(text(b.label));
    drawn.push(base.addTo(map));
  }
  for (const s of config.stations) {
    const radius = 6 + Math.min(s.waiting, 10);
    const station = L.circleMarker([s.lat, s.lon], {
      className: s.waiting ? "map-station is-waiting" : "map-station",
      radius: radius,
    });
    station.bindTooltip(text(s.label), {
      permanent: true,
      direction: "right",
      offset: [radius, 0],
    });
    drawn.push(station.addTo(map));
  }

  if (drawn.length) {
    map.fitBounds(L.featureGroup(drawn).getBounds().pad(0.2), { maxZoom: 15 });
  } else if (config.fallback) {
    map.fitBounds(config.fallback);
  } else {
    map.setView([0, 0], 2);
  }
})();
