// A small SVG of the soak: resident memory and V8 heap per process over time, and the event loop's lag.

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

function panel(title, x0, y0, width, height, lines, unit, maxSeconds) {
  const max = Math.max(1, ...lines.flatMap((line) => line.points.map((p) => p.value))) * 1.1;
  const px = (at) => x0 + (at / maxSeconds) * width;
  const py = (value) => y0 + height - (value / max) * height;
  const parts = [
    `<text x="${x0}" y="${y0 - 8}" font-size="13" font-weight="bold">${title}</text>`,
    `<rect x="${x0}" y="${y0}" width="${width}" height="${height}" fill="none" stroke="#999"/>`,
  ];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (max / 4) * tick;
    parts.push(
      `<text x="${x0 - 6}" y="${py(value) + 4}" font-size="10" text-anchor="end">${value.toFixed(0)} ${unit}</text>`,
      `<line x1="${x0}" x2="${x0 + width}" y1="${py(value)}" y2="${py(value)}" stroke="#eee"/>`,
    );
  }
  for (let minute = 0; minute <= maxSeconds / 60; minute += Math.max(1, Math.ceil(maxSeconds / 60 / 10))) {
    parts.push(
      `<text x="${px(minute * 60)}" y="${y0 + height + 14}" font-size="10" text-anchor="middle">${minute} min</text>`,
    );
  }
  lines.forEach((line, index) => {
    const d = line.points
      .map((p, i) => `${i ? 'L' : 'M'}${px(p.at).toFixed(1)},${py(p.value).toFixed(1)}`)
      .join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${COLORS[index % COLORS.length]}" stroke-width="1.5"/>`);
    parts.push(
      `<text x="${x0 + width + 8}" y="${y0 + 14 + index * 14}" font-size="11" fill="${COLORS[index % COLORS.length]}">${line.label}</text>`,
    );
  });
  return parts.join('\n');
}

export function chartSvg(samples, title) {
  const maxSeconds = Math.max(60, ...samples.map((s) => s.at));
  const names = [...new Set(samples.map((s) => s.name))];
  const memory = names.flatMap((name) => {
    const rows = samples.filter((s) => s.name === name);
    const lines = [{ label: `${name} RSS`, points: rows.map((s) => ({ at: s.at, value: s.rssMb })) }];
    if (rows.some((s) => s.heapMb !== undefined))
      lines.push({
        label: `${name} heap`,
        points: rows.filter((s) => s.heapMb !== undefined).map((s) => ({ at: s.at, value: s.heapMb })),
      });
    return lines;
  });
  const lag = names
    .filter((name) => samples.some((s) => s.name === name && s.lagP99Ms !== undefined))
    .map((name) => ({
      label: `${name} lag p99`,
      points: samples
        .filter((s) => s.name === name && s.lagP99Ms !== undefined)
        .map((s) => ({ at: s.at, value: s.lagP99Ms })),
    }));
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="860" height="520" font-family="sans-serif">',
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="20" y="24" font-size="15" font-weight="bold">${title}</text>`,
    panel('Memory (MB)', 70, 60, 600, 200, memory, 'MB', maxSeconds),
    panel('Event-loop lag p99 (ms)', 70, 310, 600, 170, lag, 'ms', maxSeconds),
    '</svg>',
  ].join('\n');
}
