// Progress of a staff export (/manage/{org}/{slug}/exports). Without JavaScript the form is a
// plain GET and the browser downloads the file itself. With it, this script fetches the same
// address, reads the stream as it arrives and shows how far it is — rows against the count the
// page shows (one line per row in CSV, JSON and JSON lines; a CSV text with line breaks counts
// more, so the bar stops at 99 % until the end) or, for XLSX and GeoJSON, the bytes received —
// then hands the file to the browser under the server's file name. Exports larger than
// LIMIT_ROWS stay plain downloads (the browser would hold the whole file in memory).
(function () {
  'use strict';

  const LIMIT_ROWS = 500000;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
  }

  function megabytes(bytes, lang) {
    return (bytes / 1048576).toLocaleString(lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  }

  function fileName(disposition) {
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition || '');
    if (star) {
      try {
        return decodeURIComponent(star[1]);
      } catch (e) {
        // fall through to the plain name
      }
    }
    const plain = /filename="?([^";]+)"?/i.exec(disposition || '');
    return plain ? plain[1] : 'export';
  }

  async function run(form) {
    const texts = JSON.parse(form.dataset.progress || '{}');
    const lang = document.documentElement.lang || 'de';
    const box = document.getElementById('export-progress');
    const bar = box.querySelector('progress');
    const text = box.querySelector('.export-progress-text');
    const kind = form.querySelector('input[name="kind"]:checked');
    const total = kind ? Number(kind.dataset.rows || 0) : 0;
    const format = (form.elements.namedItem('format') || {}).value;
    const byLines = format === 'csv' || format === 'json' || format === 'jsonl';
    const button = form.querySelector('button[type="submit"]');
    const url = form.action + '?' + new URLSearchParams(new FormData(form)).toString();
    box.hidden = false;
    button.disabled = true;
    bar.removeAttribute('value');
    text.textContent = texts.starting;
    try {
      const res = await fetch(url, { credentials: 'same-origin' });
      if (!res.ok || !res.body) {
        text.textContent = fill(texts.failed, { status: res.status });
        return;
      }
      const reader = res.body.getReader();
      const chunks = [];
      let bytes = 0;
      let lines = 0;
      let shown = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.length;
        if (byLines) {
          for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
        }
        const now = Date.now();
        if (now - shown < 200) continue;
        shown = now;
        if (byLines && total > 0) {
          const rows = Math.min(Math.max(lines - 1, 0), total);
          bar.max = total;
          bar.value = Math.min(rows, total * 0.99);
          text.textContent = fill(texts.rows, { rows: rows.toLocaleString(lang), total: total.toLocaleString(lang) });
        } else {
          text.textContent = fill(texts.bytes, { size: megabytes(bytes, lang) });
        }
      }
      bar.max = 1;
      bar.value = 1;
      const blob = new Blob(chunks, { type: res.headers.get('content-type') || 'application/octet-stream' });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = fileName(res.headers.get('content-disposition'));
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
      text.textContent = fill(texts.done, { total: total.toLocaleString(lang), size: megabytes(bytes, lang) });
    } catch (e) {
      text.textContent = fill(texts.failed, { status: '–' });
    } finally {
      button.disabled = false;
    }
  }

  // Capture on the window: before the router sees the submission.
  window.addEventListener(
    'submit',
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || form.id !== 'export-form') return;
      if (!window.fetch || !window.ReadableStream) return;
      const kind = form.querySelector('input[name="kind"]:checked');
      if (kind && Number(kind.dataset.rows || 0) > LIMIT_ROWS) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      run(form);
    },
    true,
  );
})();
