// The operations the server offers beyond plain reads and searches (each also listed in /fhir/metadata).

RuleSet: Operation(id, code, title)
* id = "{id}"
* url = "http://izfhir.org/fhir/OperationDefinition/{id}"
* name = "{title}"
* title = "{title}"
* status = #active
* kind = #operation
* code = #{code}

RuleSet: In(name, min, max, type)
* parameter[+].name = #{name}
* parameter[=].use = #in
* parameter[=].min = {min}
* parameter[=].max = "{max}"
* parameter[=].type = #{type}

RuleSet: Out(name, min, max, type)
* parameter[+].name = #{name}
* parameter[=].use = #out
* parameter[=].min = {min}
* parameter[=].max = "{max}"
* parameter[=].type = #{type}

Instance: immds-forecast
InstanceOf: OperationDefinition
Usage: #definition
* insert Operation(immds-forecast, immds-forecast, ImmdsForecast)
* description = "HL7 ImmDS: the server's CDSi forecast of the history sent (nothing stored, no registry asked). Beside ImmDS's inputs, condition and observation resources carry indications and evidence of immunity."
* system = true
* type = false
* instance = false
* affectsState = false
* insert In(assessmentDate, 0, 1, date)
* insert In(patient, 1, 1, Patient)
* insert In(immunization, 0, *, Immunization)
* insert In(condition, 0, *, Condition)
* insert In(observation, 0, *, Observation)
* insert Out(recommendation, 1, 1, ImmunizationRecommendation)
* insert Out(evaluation, 0, *, ImmunizationEvaluation)

Instance: patient-everything
InstanceOf: OperationDefinition
Usage: #definition
* insert Operation(patient-everything, everything, PatientEverything)
* description = "The whole consolidated record of one person: Patient, doses, evaluations, forecasts, provenance, and what each registry answered."
* resource = #Patient
* system = false
* type = false
* instance = true
* affectsState = false
* insert Out(return, 1, 1, Bundle)

Instance: patient-match
InstanceOf: OperationDefinition
Usage: #definition
* insert Operation(patient-match, match, PatientMatch)
* description = "FHIR $match as used here: the people the registries hold who may be the one described, scored and graded (the match-grade extension), the registries' own candidate lists scored too; the last entry says what each registry answered."
* resource = #Patient
* system = false
* type = true
* instance = false
* affectsState = false
* insert In(resource, 1, 1, Patient)
* insert In(onlySingleMatch, 0, 1, boolean)
* insert In(onlyCertainMatches, 0, 1, boolean)
* insert In(count, 0, 1, integer)
* insert Out(return, 1, 1, Bundle)

Instance: health-cards-issue
InstanceOf: OperationDefinition
Usage: #definition
* insert Operation(health-cards-issue, health-cards-issue, HealthCardsIssue)
* description = "SMART Health Cards of a consolidated record: immunization cards, signed with the key published at /.well-known/jwks.json."
* resource = #Patient
* system = false
* type = false
* instance = true
* affectsState = false
* insert In(credentialType, 1, *, uri)
* insert In(credentialValueSet, 0, *, uri)
* insert In(includeIdentityClaim, 0, *, string)
* insert In(_since, 0, 1, dateTime)
* insert Out(verifiableCredential, 0, *, string)

Instance: health-card-qr
InstanceOf: OperationDefinition
Usage: #definition
* insert Operation(health-card-qr, health-card-qr, HealthCardQr)
* description = "The record's SMART Health Card as a QR code (image/png)."
* resource = #Patient
* system = false
* type = false
* instance = true
* affectsState = false
* insert Out(return, 1, 1, Binary)

Instance: official-record
InstanceOf: OperationDefinition
Usage: #definition
* insert Operation(official-record, official-record, OfficialRecord)
* description = "The official immunization record as a tagged PDF, with its SMART Health Card's QR code (application/pdf)."
* resource = #Patient
* system = false
* type = false
* instance = true
* affectsState = false
* insert Out(return, 1, 1, Binary)

Instance: delivery-report
InstanceOf: OperationDefinition
Usage: #definition
* insert Operation(delivery-report, delivery-report, DeliveryReport)
* description = "The calling client's deliveries of submitted doses over a period, counted by registry, outcome and error code: Parameters (one row per count), or CSV."
* resource = #Task
* system = false
* type = true
* instance = false
* affectsState = false
* insert In(start, 0, 1, dateTime)
* insert In(end, 0, 1, dateTime)
* insert In(format, 0, 1, string)
* insert Out(return, 1, 1, Parameters)
