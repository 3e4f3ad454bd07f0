// The profiles the server's answers declare in meta.profile.

Profile: ConsolidatedPatient
Parent: Patient
Id: consolidated-patient
Title: "Consolidated Patient"
Description: "A person as every registry that holds them describes them: one identifier per registry (and the registry's own), the names, addresses and contacts they sent, and each registry's PD1 indicators. Tagged with the registries it came from."
* ^url = "http://izfhir.org/fhir/StructureDefinition/consolidated-patient"
* meta.tag MS
* extension contains ImmunizationRegistryStatus named registryStatus 0..* MS
    and ImmunizationPublicity named publicity 0..* MS
    and ImmunizationDataProtection named dataProtection 0..* MS
* identifier 1..* MS
* name 1..* MS
* birthDate 1..1 MS
* gender MS
* address MS

Profile: ConsolidatedImmunization
Parent: Immunization
Id: consolidated-immunization
Title: "Consolidated Immunization"
Description: "One dose of a consolidated record: the same dose reported by several registries comes once, tagged with each (meta.tag, system http://izfhir.org/fhir/CodeSystem/registry), its fields merged as the consolidation rules say."
* ^url = "http://izfhir.org/fhir/StructureDefinition/consolidated-immunization"
* meta.tag 1..* MS
* status MS
* vaccineCode MS
* patient only Reference(Patient)
* patient MS
* occurrence[x] MS
* primarySource MS
* lotNumber MS
* manufacturer MS

Profile: SubmittedImmunization
Parent: Immunization
Id: submitted-immunization
Title: "Submitted Immunization"
Description: "A dose as a client submitted it (Immunization/sub-...), with its context contained: the Patient when no consolidated record was found for them, the Location where it was given and the Organization that gave it."
* ^url = "http://izfhir.org/fhir/StructureDefinition/submitted-immunization"
* status MS
* vaccineCode MS
* patient MS
* occurrence[x] 1..1 MS
* location MS
* performer MS

Profile: ConsolidatedImmunizationRecommendation
Parent: ImmunizationRecommendation
Id: consolidated-immunization-recommendation
Title: "Immunization forecast"
Description: "A forecast of a consolidated record: the server's own (meta.tag forecaster|cdsi, on every dose from every registry) or a registry's (Z42, tagged with the registry)."
* ^url = "http://izfhir.org/fhir/StructureDefinition/consolidated-immunization-recommendation"
* meta.tag 1..* MS
* patient only Reference(Patient)
* recommendation MS
* recommendation.vaccineCode MS
* recommendation.forecastStatus MS
* recommendation.dateCriterion MS

Profile: ConsolidatedImmunizationEvaluation
Parent: ImmunizationEvaluation
Id: consolidated-immunization-evaluation
Title: "Dose evaluation"
Description: "Whether a dose of a consolidated record counts, per antigen: the server's own (CDSi) or a registry's (Z42)."
* ^url = "http://izfhir.org/fhir/StructureDefinition/consolidated-immunization-evaluation"
* meta.tag 1..* MS
* patient only Reference(Patient)
* immunizationEvent MS
* doseStatus MS

Profile: RegistryProvenance
Parent: Provenance
Id: registry-provenance
Title: "Registry provenance"
Description: "Where a consolidated record's resources came from: one Provenance per registry, its author the registry (identifier system http://izfhir.org/fhir/sid/registry), the assembler this server, the entity the registry's answer (message control id)."
* ^url = "http://izfhir.org/fhir/StructureDefinition/registry-provenance"
* target MS
* recorded MS
* agent 2..* MS
* agent.who.identifier MS
* entity MS

Profile: RegistryOutcome
Parent: OperationOutcome
Id: registry-outcome
Title: "Registry outcome"
Description: "What each registry answered (a searchset's outcome entry, search.mode outcome) or did with a submitted dose (a submission's answer): one issue per registry, naming it in the registry extension, coded in registry-status or delivery-status."
* ^url = "http://izfhir.org/fhir/StructureDefinition/registry-outcome"
* issue.extension contains RegistryExtension named registry 0..1 MS and DeliveryTaskExtension named task 0..1 MS
* issue.details MS

Profile: SubmissionDelivery
Parent: Task
Id: submission-delivery
Title: "Submission delivery"
Description: "One version of a submitted dose on its way to one registry: focus the dose, owner the registry, businessStatus where it stands, the registry's acknowledgment in output (an OperationOutcome, contained)."
* ^url = "http://izfhir.org/fhir/StructureDefinition/submission-delivery"
* identifier 1..* MS
* businessStatus 1..1 MS
* businessStatus from DeliveryStatusVS (required)
* intent = #order
* focus 1..1 MS
* focus only Reference(Immunization)
* for only Reference(Patient)
* owner 1..1 MS
* owner.identifier 1..1 MS
* reasonCode from DeliveryReasonVS (required)
* output MS
