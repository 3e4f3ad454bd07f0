// The record of the person chosen at launch, from three calls any SMART app can make: the Patient, its
// Immunizations (each tagged with the registries that reported it; the searchset's last entry says what each
// registry answered) and the ImmunizationRecommendations (the server's own forecast is tagged forecaster|cdsi).
const REGISTRY_TAG = "http://izfhir.org/fhir/CodeSystem/registry";
const REGISTRY_EXTENSION = "http://izfhir.org/fhir/StructureDefinition/registry";
const FORECASTER_TAG = "http://izfhir.org/fhir/CodeSystem/forecaster";
const STATUS = "http://terminology.hl7.org/CodeSystem/immunization-recommendation-status";
const DUE = "30980-7", OVERDUE = "59778-1";

const status = document.getElementById("status");
const denied = new URLSearchParams(location.search).get("error");

if (denied) {
  status.textContent = denied === "access_denied"
    ? "You chose not to share a record with this app (access_denied). Open another record to start again."
    : `The server did not open a record (${denied}).`;
} else {
  FHIR.oauth2.ready().then(show).catch(failed);
}

async function show(client) {
  window.demoApp = { client }; // for the browser test, and for anyone curious in the console
  const id = client.getPatientId();
  const [patient, doses, forecasts] = await Promise.all([
    client.request(`Patient/${encodeURIComponent(id)}`),
    client.request(`Immunization?patient=${encodeURIComponent(id)}&_count=200`),
    client.request(`ImmunizationRecommendation?patient=${encodeURIComponent(id)}`)
  ]);
  const name = (patient.name || [])[0] || {};
  const shown = [...(name.given || []), name.family].filter(Boolean).join(" ") || "This person";
  document.getElementById("title").textContent = `${shown}'s immunization record`;
  document.getElementById("person").textContent = patient.birthDate ? `Born ${patient.birthDate}` : "";
  showDue(resources(forecasts, "ImmunizationRecommendation").filter(isServers));
  showDoses(resources(doses, "Immunization"));
  showRegistries((doses.entry || []).map(e => e.resource).find(r => r.resourceType === "OperationOutcome"));
  status.textContent = "Record loaded.";
  document.getElementById("record").hidden = false;
}

function resources(bundle, type) {
  return (bundle.entry || []).map(e => e.resource).filter(r => r.resourceType === type);
}

function tags(resource, system) {
  return ((resource.meta || {}).tag || []).filter(t => t.system === system).map(t => t.code);
}

function isServers(recommendation) {
  return tags(recommendation, FORECASTER_TAG).includes("cdsi");
}

function text(concept) {
  if (!concept) return "";
  return concept.text || ((concept.coding || []).find(c => c.display) || {}).display || "";
}

function date(recommendation, loinc) {
  const found = (recommendation.dateCriterion || []).find(c => (c.code.coding || []).some(x => x.code === loinc));
  return found ? found.value.substring(0, 10) : "";
}

function row(table, cells, className) {
  const tr = document.createElement("tr");
  if (className) tr.className = className;
  for (const cell of cells) {
    const td = document.createElement("td");
    td.textContent = cell;
    tr.appendChild(td);
  }
  document.querySelector(`#${table} tbody`).appendChild(tr);
}

/** What is due today or overdue; what comes due later is counted, with the next one named. */
function showDue(forecasts) {
  const today = new Date().toISOString().substring(0, 10);
  const later = [];
  let any = false;
  for (const forecast of forecasts) {
    for (const r of forecast.recommendation || []) {
      const code = ((r.forecastStatus || {}).coding || []).find(c => c.system === STATUS);
      const due = date(r, DUE);
      if (code && (code.code === "overdue" || (code.code === "due" && due <= today))) {
        row("due", [text(r.vaccineCode[0]), code.code === "overdue" ? "Overdue" : "Due", due, date(r, OVERDUE)],
          code.code === "overdue" ? "overdue" : "");
        any = true;
      } else if (code && code.code === "due") {
        later.push({ vaccine: text(r.vaccineCode[0]), due });
      }
    }
  }
  if (!any) row("due", ["Nothing is due now", "", "", ""]);
  later.sort((a, b) => a.due.localeCompare(b.due));
  document.getElementById("later").textContent = later.length === 0 ? ""
    : `${later.length} more come due later; the next is ${later[0].vaccine}, from ${later[0].due}.`;
}

function showDoses(doses) {
  doses.sort((a, b) => (a.occurrenceDateTime || "").localeCompare(b.occurrenceDateTime || ""));
  for (const dose of doses) {
    row("doses", [(dose.occurrenceDateTime || "").substring(0, 10), text(dose.vaccineCode),
      tags(dose, REGISTRY_TAG).join(", ")]);
  }
}

function showRegistries(outcome) {
  const list = document.getElementById("registries");
  for (const issue of (outcome || {}).issue || []) {
    const li = document.createElement("li");
    const registry = (issue.extension || []).find(e => e.url === REGISTRY_EXTENSION); // the issue names it too
    li.textContent = issue.diagnostics || text(issue.details) || (registry ? registry.valueString : "");
    if (issue.severity === "error" || issue.severity === "fatal") li.className = "problem";
    list.appendChild(li);
  }
}

function failed(error) {
  status.textContent = `The record could not be opened: ${error.message}`;
  status.className = "problem";
}
