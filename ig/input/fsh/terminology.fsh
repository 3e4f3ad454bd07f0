// Code systems under http://izfhir.org/fhir/CodeSystem/ that the server writes, and their value sets.

CodeSystem: RegistryStatus
Id: registry-status
Title: "Registry status"
Description: "What a registry's part in a consultation came to: one issue per registry in a searchset's OperationOutcome."
* ^url = "http://izfhir.org/fhir/CodeSystem/registry-status"
* ^caseSensitive = true
* ^content = #complete
* #answered "answered" "The registry answered with the person's history."
* #not-found "has no record of this person" "The registry holds no record of the person."
* #candidates "found several people who may match" "The registry could not tell several people apart (Z31)."
* #too-many "found more matching people than it may return" "More people matched than the registry may return (QAK TM)."
* #protected "holds a protected record it may not share" "The registry holds a record it may not share (QAK PD, or a protection indicator)."
* #rejected "rejected the query" "The registry rejected the query (AE/AR with ERR)."
* #timed-out "did not answer in time" "No answer within the consultation's deadline."
* #unavailable "is unavailable" "The registry could not be reached, or its circuit is open."
* #failed "could not be asked" "The registry could not be asked (a SOAP fault, a configuration problem)."
* #unreadable "sent an answer that could not be read" "The registry's answer is not a readable HL7 message."

ValueSet: RegistryStatusVS
Id: registry-status
Title: "Registry status"
Description: "Every registry status."
* ^url = "http://izfhir.org/fhir/ValueSet/registry-status"
* include codes from system RegistryStatus

CodeSystem: DeliveryStatus
Id: delivery-status
Title: "Delivery status"
Description: "Where one delivery of a submitted dose to one registry stands (Task.businessStatus)."
* ^url = "http://izfhir.org/fhir/CodeSystem/delivery-status"
* ^caseSensitive = true
* ^content = #complete
* #queued "queued for delivery" "Not yet acknowledged: sent again until acknowledged or too old."
* #accepted "accepted" "The registry acknowledged the dose (MSA-1 AA)."
* #accepted-with-warnings "accepted with warnings" "The registry kept the dose and warned (AE with warnings only, or AA with warnings)."
* #rejected "rejected" "The registry refused the dose (AE with an error, or AR)."
* #undeliverable "undeliverable" "Not delivered within the maximum age, after every retry."

ValueSet: DeliveryStatusVS
Id: delivery-status
Title: "Delivery status"
Description: "Every delivery status."
* ^url = "http://izfhir.org/fhir/ValueSet/delivery-status"
* include codes from system DeliveryStatus

CodeSystem: DeliveryReason
Id: delivery-reason
Title: "Delivery reason"
Description: "Why a registry is due a dose: the IZ Gateway's Connect (where given) and Share (where the person lives)."
* ^url = "http://izfhir.org/fhir/CodeSystem/delivery-reason"
* ^caseSensitive = true
* ^content = #complete
* #where-given "the registry of the state where the dose was given"
* #home "the registry of the patient's home state"

ValueSet: DeliveryReasonVS
Id: delivery-reason
Title: "Delivery reason"
Description: "Every delivery reason."
* ^url = "http://izfhir.org/fhir/ValueSet/delivery-reason"
* include codes from system DeliveryReason

CodeSystem: Forecaster
Id: forecaster
Title: "Forecaster"
Description: "Who forecast: a meta.tag on the server's own ImmunizationRecommendation and ImmunizationEvaluation."
* ^url = "http://izfhir.org/fhir/CodeSystem/forecaster"
* ^caseSensitive = true
* ^content = #complete
* #cdsi "Forecast by this server on the consolidated history" "CDC's Clinical Decision Support for Immunization logic, on every dose from every registry."

CodeSystem: CdsiSeriesStatus
Id: cdsi-series-status
Title: "CDSi series status"
Description: "CDSi's patient series status of a vaccine group (CDSi logic specification, chapter 8)."
* ^url = "http://izfhir.org/fhir/CodeSystem/cdsi-series-status"
* ^caseSensitive = true
* ^content = #complete
* #not-complete "Not Complete"
* #complete "Complete"
* #immune "Immune"
* #contraindicated "Contraindicated"
* #aged-out "Aged Out"
* #not-recommended "Not Recommended"

CodeSystem: Registry
Id: registry
Title: "Registry"
Description: "The registries a deployment asks, by the ids of its registries.yaml: the meta.tag of every resource with the registries it came from. A deployment's codes are its own; the demo's are listed."
* ^url = "http://izfhir.org/fhir/CodeSystem/registry"
* ^caseSensitive = true
* ^content = #fragment
* #NJ "New Jersey IIS (demo)"
* #NY "New York State IIS (demo)"
* #PA "Pennsylvania SIIS (demo, through the demo IZ Gateway hub)"

// The CDC guide's values of HL7 tables it defines itself (NIP) or whose HL7 values it replaces (0215).

CodeSystem: ImmunizationInformationSource
Id: v2-NIP001
Title: "Immunization information source (CDC NIP001)"
Description: "RXA-9: where a dose's record comes from (CDC IG release 1.5, table NIP001)."
* ^url = "http://izfhir.org/fhir/CodeSystem/v2-NIP001"
* ^caseSensitive = true
* ^content = #complete
* #00 "New immunization record"
* #01 "Historical information - source unspecified"
* #02 "Historical information - from other provider"
* #03 "Historical information - from parent's written record"
* #04 "Historical information - from parent's recall"
* #05 "Historical information - from other registry"
* #06 "Historical information - from birth certificate"
* #07 "Historical information - from school record"
* #08 "Historical information - from public agency"

CodeSystem: SubstanceRefusalReason
Id: v2-NIP002
Title: "Substance refusal reason (CDC NIP002)"
Description: "RXA-18: why a dose was refused (CDC IG release 1.5, table NIP002)."
* ^url = "http://izfhir.org/fhir/CodeSystem/v2-NIP002"
* ^caseSensitive = true
* ^content = #complete
* #00 "Parental decision"
* #01 "Religious exemption"
* #02 "Other"
* #03 "Patient decision"

CodeSystem: PublicityCode
Id: v2-0215
Title: "Publicity code (CDC values of HL7 table 0215)"
Description: "PD1-11: whether and how the person may be reminded or recalled (the CDC guide's values; HL7's table 0215 is user-defined)."
* ^url = "http://izfhir.org/fhir/CodeSystem/v2-0215"
* ^caseSensitive = true
* ^content = #complete
* #01 "No reminder/recall"
* #02 "Reminder/recall - any method"
* #03 "Reminder/recall - no calls"
* #04 "Reminder only - any method"
* #05 "Reminder only - no calls"
* #06 "Recall only - any method"
* #07 "Recall only - no calls"
* #08 "Reminder/recall - to provider"
* #09 "Reminder to provider"
* #10 "Only reminder to provider, no recall"
* #11 "Recall to provider"
* #12 "Only recall to provider, no reminder"
