// Mitreden's maps: turns every element with a data-map attribute into a Leaflet map. Leaflet is
// loaded (from our own /vendor/leaflet/, never from a CDN) only on pages that have a map. The
// server renders each map container empty and puts everything a map shows also in text (and, for
// an area, in an SVG sketch), so pages work without this script and without tiles; the editor's
// area and a comment's pin are text fields that the maps only fill in.
//
//   data-map="view"      an area (data-area: GeoJSON) and pinned comments (data-pins)
//   data-map="overview"  markers of open consultations (data-markers); unhides its section
//   data-map="edit"      draws an area into the textarea named by data-target
//   data-map="pin"       sets the inputs named by data-lat / data-lon by a click in data-area
//
// Tiles come from <meta name="mitreden-map-tiles"> (empty: none) with the attribution in
// <meta name="mitreden-map-attribution"> (plain text). Containers added later (client-side
// navigation) are found by a MutationObserver; each is set up once.
(function () {
  'use strict';

  const BASE = '/vendor/leaflet/';
  const BRAND = '#0b5394';
  const PIN = '#b00020';
  let leaflet = null;

  function meta(name) {
    const m = document.querySelector('meta[name="' + name + '"]');
    return m ? (m.getAttribute('content') || '').trim() : '';
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  function json(text, fallback) {
    try {
      return text ? JSON.parse(text) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function loadLeaflet() {
    if (window.L) return Promise.resolve(window.L);
    if (leaflet) return leaflet;
    leaflet = new Promise((resolve, reject) => {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = BASE + 'leaflet.css';
      const styled = new Promise((done) => {
        css.onload = done;
        css.onerror = done;
      });
      document.head.appendChild(css);
      const script = document.createElement('script');
      script.src = BASE + 'leaflet.js';
      script.async = true;
      script.onload = () => styled.then(() => resolve(window.L));
      script.onerror = () => {
        leaflet = null;
        reject(new Error('Leaflet did not load'));
      };
      document.head.appendChild(script);
    });
    return leaflet;
  }

  function round6(x) {
    return Math.round(x * 1e6) / 1e6;
  }

  /** "51.5336, 9.9355" lines (also "51,5336 9,9355", "a;b"), as the server reads them. */
  function parseLines(text) {
    const points = [];
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      let parts = line.includes(';') ? line.split(';') : line.split(/[\s,]+/).filter(Boolean);
      if (parts.length !== 2) parts = line.split(/\s+/).filter(Boolean);
      if (parts.length !== 2) continue;
      const lat = parseFloat(parts[0].trim().replace(',', '.'));
      const lon = parseFloat(parts[1].trim().replace(',', '.'));
      if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) points.push([lat, lon]);
    }
    return points;
  }

  /** The [lat, lon] positions of a GeoJSON Point or Polygon (outer ring, open). */
  function geometryPoints(geometry) {
    if (!geometry || !geometry.coordinates) return [];
    if (geometry.type === 'Point') return [[geometry.coordinates[1], geometry.coordinates[0]]];
    if (geometry.type === 'Polygon') {
      const ring = geometry.coordinates[0].map((c) => [c[1], c[0]]);
      return ring.slice(0, ring.length - 1);
    }
    return [];
  }

  /** The area as a Leaflet layer: a polygon, or a point with its 300 m circle. */
  function areaLayer(L, points) {
    const group = L.featureGroup();
    if (points.length === 1) {
      L.circle(points[0], { radius: 300, color: BRAND, weight: 3, fillOpacity: 0.15 }).addTo(group);
      L.circleMarker(points[0], { radius: 7, color: BRAND, fillColor: BRAND, fillOpacity: 1, interactive: false }).addTo(group);
    } else if (points.length >= 3) {
      L.polygon(points, { color: BRAND, weight: 3, fillOpacity: 0.15 }).addTo(group);
    } else if (points.length === 2) {
      L.polyline(points, { color: BRAND, weight: 3, dashArray: '6 6' }).addTo(group);
    }
    return group;
  }

  /** The map itself, in a new element inside the container (which keeps its own attributes). */
  function baseMap(L, el, texts) {
    el.setAttribute('role', 'region');
    if (el.dataset.label) el.setAttribute('aria-label', el.dataset.label);
    const canvas = document.createElement('div');
    canvas.className = 'map-canvas';
    el.appendChild(canvas);
    const map = L.map(canvas, { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: texts.zoomIn || 'Zoom in', zoomOutTitle: texts.zoomOut || 'Zoom out' }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    const tiles = meta('mitreden-map-tiles');
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: escapeHtml(meta('mitreden-map-attribution')) }).addTo(map);
    } else {
      el.classList.add('map-no-tiles');
    }
    el.classList.add('map-live');
    return map;
  }

  function fit(map, layer, fallback) {
    map.invalidateSize();
    const bounds = layer && layer.getLayers().length ? layer.getBounds() : null;
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    } else {
      map.setView(fallback || [51.1657, 10.4515], fallback ? 14 : 5);
    }
  }

  /** Fits again when a closed <details> around the map opens (it had no size before). */
  function refitOnOpen(el, refit) {
    const details = el.closest('details');
    if (details) details.addEventListener('toggle', () => details.open && refit());
  }

  function button(label, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'map-tool';
    b.textContent = label;
    b.addEventListener('click', onClick);
    return b;
  }

  function initView(L, el, texts) {
    const map = baseMap(L, el, texts);
    const area = areaLayer(L, geometryPoints(json(el.dataset.area, null))).addTo(map);
    const pins = L.featureGroup().addTo(map);
    for (const p of json(el.dataset.pins, [])) {
      const link = document.createElement('a');
      // The comment on this page if it is shown here, else its own page (another page of threads).
      const local = document.getElementById('comment-' + p.id);
      const own = typeof p.href === 'string' && p.href.startsWith('/') && !p.href.startsWith('//');
      link.href = local || !own ? '#comment-' + p.id : p.href;
      link.textContent = texts.toComment || '→';
      L.circleMarker([p.lat, p.lon], { radius: 7, color: '#ffffff', weight: 2, fillColor: PIN, fillOpacity: 1 })
        .bindPopup(link)
        .addTo(pins);
    }
    fit(map, area);
    const figure = el.closest('figure');
    if (figure) figure.classList.add('map-ready');
  }

  function initOverview(L, el, texts) {
    const section = el.closest('[data-map-section]');
    if (section) section.hidden = false;
    const map = baseMap(L, el, texts);
    L.Icon.Default.imagePath = BASE + 'images/';
    const markers = L.featureGroup().addTo(map);
    for (const m of json(el.dataset.markers, [])) {
      const popup = document.createElement('div');
      const link = document.createElement('a');
      link.href = m.href;
      link.textContent = m.title;
      const org = document.createElement('div');
      org.textContent = m.org;
      popup.append(link, org);
      L.marker([m.lat, m.lon], { title: m.title, alt: m.title }).bindPopup(popup).addTo(markers);
    }
    const only = markers.getLayers().length === 1 ? markers.getLayers()[0].getLatLng() : null;
    if (only) map.setView(only, 14);
    else fit(map, markers);
  }

  function initEditor(L, el, texts) {
    const field = document.getElementById(el.dataset.target);
    if (!field) return;
    let points = parseLines(field.value);
    let mode = points.length === 1 ? 'point' : 'polygon';
    const tools = document.createElement('div');
    tools.className = 'map-tools';
    const polygonTool = button(texts.polygon, () => setMode('polygon'));
    const pointTool = button(texts.point, () => setMode('point'));
    const undoTool = button(texts.undo, () => {
      points.pop();
      write();
      draw();
    });
    const clearTool = button(texts.clear, () => {
      points = [];
      write();
      draw();
    });
    tools.append(polygonTool, pointTool, undoTool, clearTool);
    const help = document.createElement('p');
    help.className = 'hint';
    help.textContent = texts.help || '';
    el.append(tools, help);
    const map = baseMap(L, el, texts);
    const shape = L.featureGroup().addTo(map);
    const handles = L.featureGroup().addTo(map);

    function setMode(next) {
      mode = next;
      polygonTool.setAttribute('aria-pressed', String(mode === 'polygon'));
      pointTool.setAttribute('aria-pressed', String(mode === 'point'));
      if (mode === 'point' && points.length > 1) {
        points = [points[points.length - 1]];
        write();
        draw();
      }
    }
    function write() {
      field.value = points.map((p) => round6(p[0]) + ', ' + round6(p[1])).join('\n');
    }
    function drawShape() {
      shape.clearLayers();
      areaLayer(L, points).eachLayer((layer) => layer.addTo(shape));
    }
    function draw() {
      drawShape();
      handles.clearLayers();
      points.forEach((p, i) => {
        const handle = L.marker(p, {
          draggable: true,
          keyboard: false,
          icon: L.divIcon({ className: 'map-vertex', iconSize: [16, 16] }),
        });
        handle.on('drag', (e) => {
          const at = e.target.getLatLng();
          points[i] = [round6(at.lat), round6(at.lng)];
          drawShape();
        });
        handle.on('dragend', () => {
          write();
          draw();
        });
        handle.addTo(handles);
      });
    }
    map.on('click', (e) => {
      const p = [round6(e.latlng.lat), round6(e.latlng.lng)];
      if (mode === 'point') points = [p];
      else points.push(p);
      write();
      draw();
    });
    // The text field stays the source of truth: typing redraws the map.
    field.addEventListener('input', () => {
      points = parseLines(field.value);
      draw();
    });
    setMode(mode);
    draw();
    fit(map, shape);
  }

  function initPin(L, el, texts) {
    const lat = document.getElementById(el.dataset.lat);
    const lon = document.getElementById(el.dataset.lon);
    if (!lat || !lon) return;
    const map = baseMap(L, el, texts);
    const area = areaLayer(L, geometryPoints(json(el.dataset.area, null))).addTo(map);
    let marker = null;
    function show() {
      const a = parseFloat(lat.value.replace(',', '.'));
      const b = parseFloat(lon.value.replace(',', '.'));
      if (marker) {
        marker.remove();
        marker = null;
      }
      if (isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
        marker = L.circleMarker([a, b], { radius: 8, color: '#ffffff', weight: 2, fillColor: PIN, fillOpacity: 1, interactive: false }).addTo(map);
      }
    }
    map.on('click', (e) => {
      lat.value = String(round6(e.latlng.lat));
      lon.value = String(round6(e.latlng.lng));
      show();
    });
    lat.addEventListener('input', show);
    lon.addEventListener('input', show);
    const form = el.closest('form');
    // After a successful post the form is reset: the mark goes with the text.
    if (form) form.addEventListener('reset', () => setTimeout(show, 0));
    const clear = button(texts.pinClear, () => {
      lat.value = '';
      lon.value = '';
      show();
    });
    const tools = document.createElement('div');
    tools.className = 'map-tools';
    tools.append(clear);
    el.append(tools);
    show();
    fit(map, area);
    refitOnOpen(el, () => fit(map, area));
  }

  const KINDS = { view: initView, overview: initOverview, edit: initEditor, pin: initPin };

  function setUp() {
    const pending = Array.from(document.querySelectorAll('[data-map]')).filter((el) => !el.dataset.mapReady);
    if (!pending.length) return;
    loadLeaflet().then(
      (L) => {
        for (const el of pending) {
          if (el.dataset.mapReady || !el.isConnected) continue;
          el.dataset.mapReady = '1';
          const init = KINDS[el.dataset.map];
          try {
            if (init) init(L, el, json(el.dataset.texts, {}));
          } catch (e) {
            // The text alternative stays; a broken map must not break the page.
            console.error('map', e);
          }
        }
      },
      () => {},
    );
  }

  let scheduled = false;
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(() => {
      scheduled = false;
      setUp();
    });
  }

  function start() {
    setUp();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
