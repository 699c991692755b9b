// Draws a series' attendance chart: each meeting's key-member rate against the baseline.
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("attendance-chart");
  const source = document.getElementById("attendance-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const flat = (value) => data.labels.map(() => value);
  const datasets = [
    { label: "Key members present (%)", data: data.rates, borderColor: "#1d5fa8",
      backgroundColor: "#1d5fa8", tension: 0.2 },
  ];
  if (data.baseline !== null) {
    datasets.push({ label: "Baseline (first three)", data: flat(data.baseline),
      borderColor: "#2e7d32", borderDash: [6, 4], pointRadius: 0 });
  }
  if (data.threshold !== null) {
    datasets.push({ label: "Warning below", data: flat(data.threshold),
      borderColor: "#c62828", borderDash: [2, 3], pointRadius: 0 });
  }
  new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { min: 0, max: 100, ticks: { callback: (v) => v + "%" } } },
    },
  });
});
