package org.izfhir.ig;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * HAPI's FhirInstanceValidator with R4 core, the Implementation Guide's resources as the jar
 * ships them (classpath {@code ig/}), and the code systems the server publishes.
 */
final class GuideValidator {

    /** What a validation found: errors fail; warnings are counted. */
    record Findings(List<String> errors, List<String> warnings) {
    }

    private final FhirContext fhir = FhirContext.forR4Cached();
    private final PrePopulatedValidationSupport guide = new PrePopulatedValidationSupport(fhir);
    private final FhirValidator validator;
    private final List<String> guideResources = new ArrayList<>();

    GuideValidator(List<IBaseResource> publishedCodeSystems) throws IOException {
        for (Resource file : new PathMatchingResourcePatternResolver().getResources("classpath*:ig/*.json")) {
            try (InputStream in = file.getInputStream()) {
                IBaseResource resource = fhir.newJsonParser().parseResource(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                guide.addResource(resource);
                guideResources.add(file.getFilename());
            }
        }
        publishedCodeSystems.forEach(guide::addResource);
        ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(fhir), guide,
                new CommonCodeSystemsTerminologyService(fhir), new InMemoryTerminologyServerValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir));
        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        module.setAnyExtensionsAllowed(true); // US Core's race and ethnicity, which this guide does not load
        module.setErrorForUnknownProfiles(true);
        validator = fhir.newValidator().registerValidatorModule(module);
    }

    List<String> guideResources() {
        return guideResources;
    }

    Findings validate(String what, String json) {
        ValidationResult result = validator.validateWithResult(json);
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (SingleValidationMessage message : result.getMessages()) {
            String line = what + " " + message.getLocationString() + ": " + message.getMessage();
            if (message.getSeverity() == ResultSeverityEnum.ERROR || message.getSeverity() == ResultSeverityEnum.FATAL) {
                errors.add(line);
            } else if (message.getSeverity() == ResultSeverityEnum.WARNING) {
                warnings.add(line);
            }
        }
        return new Findings(errors, warnings);
    }
}
