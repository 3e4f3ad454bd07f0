// Every extension the server writes.

Extension: RegistryExtension
Id: registry
Title: "Registry"
Description: "The registry (its id in the deployment's registries.yaml, e.g. NJ) an OperationOutcome issue is about: what it answered to a query, or did with a submitted dose."
* ^url = "http://izfhir.org/fhir/StructureDefinition/registry"
* ^context[+].type = #element
* ^context[=].expression = "OperationOutcome.issue"
* value[x] only string

Extension: DeliveryTaskExtension
Id: delivery-task
Title: "Delivery task"
Description: "On the issue answering a dose's submission to one registry: the Task that follows that delivery."
* ^url = "http://izfhir.org/fhir/StructureDefinition/delivery-task"
* ^context[+].type = #element
* ^context[=].expression = "OperationOutcome.issue"
* value[x] only Reference(Task)

Extension: ImmunizationRegistryStatus
Id: immunization-registry-status
Title: "Immunization registry status"
Description: "PD1-16 and PD1-17: the person's status at the registry (HL7 table 0441: active, inactive, moved or gone elsewhere, deceased, ...), and since when."
* ^url = "http://izfhir.org/fhir/StructureDefinition/immunization-registry-status"
* ^context[+].type = #element
* ^context[=].expression = "Patient"
* extension contains value 1..1 and effective 0..1
* extension[value].value[x] only Coding
* extension[effective].value[x] only date or dateTime

Extension: ImmunizationPublicity
Id: immunization-publicity
Title: "Immunization publicity"
Description: "PD1-11 and PD1-14: whether the person may be sent reminders (HL7 table 0215), and since when."
* ^url = "http://izfhir.org/fhir/StructureDefinition/immunization-publicity"
* ^context[+].type = #element
* ^context[=].expression = "Patient"
* extension contains value 1..1 and effective 0..1
* extension[value].value[x] only CodeableConcept
* extension[effective].value[x] only date or dateTime

Extension: ImmunizationDataProtection
Id: immunization-data-protection
Title: "Immunization data protection"
Description: "PD1-12 and PD1-13: whether the registry must protect the person's record (Y/N), and since when."
* ^url = "http://izfhir.org/fhir/StructureDefinition/immunization-data-protection"
* ^context[+].type = #element
* ^context[=].expression = "Patient"
* extension contains value 1..1 and effective 0..1
* extension[value].value[x] only boolean
* extension[effective].value[x] only date or dateTime
