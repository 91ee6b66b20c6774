/* The public map: clustered markers from our own GeoJSON endpoint, with the page's filters. Progressive
   enhancement: the map box stays hidden without JavaScript, and if Leaflet or the data fail to load the
   list below it remains the way in. Configuration comes in data- attributes (no inline script: CSP). */
(function () {
  "use strict";
  var box = document.getElementById("mapa");
  var status = document.getElementById("mapa-estado");
  if (!box || typeof window.L === "undefined" || typeof L.markerClusterGroup !== "function" || !window.fetch) {
    return;
  }
  var cfg = box.dataset;
  var english = (document.documentElement.lang || "es").slice(0, 2) === "en";
  var money = new Intl.NumberFormat(english ? "en-US" : "es-MX", { style: "currency", currency: "MXN" });

  box.hidden = false;
  var map = L.map(box, { scrollWheelZoom: false }).setView([19.36, -99.13], 10);  // Mexico City
  L.tileLayer(cfg.tiles, { attribution: cfg.attribution, maxZoom: 19 }).addTo(map);

  function line(label, value) {
    var p = document.createElement("p");
    p.textContent = label + ": " + value;
    return p;
  }

  // Built with DOM nodes and textContent: a title typed by a community group is never read as HTML.
  function popup(props) {
    var wrap = document.createElement("div");
    var title = document.createElement("strong");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.title;
    title.appendChild(link);
    wrap.appendChild(title);
    wrap.appendChild(line(cfg.labelUnit, props.unit_name + " (" + props.unit_key + "), " + props.borough_name));
    wrap.appendChild(line(cfg.labelAmount, money.format(props.approved_amount)));
    wrap.appendChild(line(cfg.labelState, props.status_label));
    return wrap;
  }

  fetch(cfg.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    })
    .then(function (data) {
      var markers = L.geoJSON(data, {
        onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature.properties)); }
      }).getLayers();
      var clusters = L.markerClusterGroup({ showCoverageOnHover: false });
      clusters.addLayers(markers);
      map.addLayer(clusters);
      if (markers.length) { map.fitBounds(clusters.getBounds(), { maxZoom: 15, padding: [20, 20] }); }
      if (status) { status.textContent = cfg.loaded + " " + markers.length; }
    })
    .catch(function () {
      box.hidden = true;
      if (status) { status.textContent = cfg.failed; }
    });
}());
