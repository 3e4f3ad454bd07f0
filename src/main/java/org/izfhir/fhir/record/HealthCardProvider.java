package org.izfhir.fhir.record;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.izfhir.card.CardProperties;
import org.izfhir.card.HealthCardQr;
import org.izfhir.card.HealthCards;
import org.izfhir.card.OfficialRecordPdf;
import org.izfhir.record.PersonRecord;
import org.springframework.stereotype.Component;

/**
 * Proof a person can carry, of their current consolidated record (refreshed as any read is):
 * {@code $health-cards-issue} (the SMART Health Cards and Links guide's operation: the credential
 * and its resource links; {@code Accept: application/smart-health-card} gives the
 * {@code .smart-health-card} file), {@code $health-card-qr} (the card as one QR code, PNG) and
 * {@code $official-record} (a PDF a school nurse accepts). Files are Binaries whose
 * {@code securityContext} names the Patient, so that the patient boundary knows whose they are.
 */
@Component
public class HealthCardProvider {

    static final String FILE_TYPE = "application/smart-health-card";
    private static final Set<String> CREDENTIAL_TYPES = Set.of(HealthCards.HEALTH_CARD, HealthCards.IMMUNIZATION);

    private final RecordAccess access;
    private final HealthCards cards;
    private final OfficialRecordPdf officialRecord;
    private final CardProperties properties;

    HealthCardProvider(RecordAccess access, HealthCards cards, OfficialRecordPdf officialRecord, CardProperties properties) {
        this.access = access;
        this.cards = cards;
        this.officialRecord = officialRecord;
        this.properties = properties;
    }

    @Operation(name = "$health-cards-issue", type = Patient.class, idempotent = false)
    public IBaseResource issue(@IdParam IdType id,
                               @OperationParam(name = "credentialType", min = 1) List<UriType> credentialTypes,
                               @OperationParam(name = "credentialValueSet") List<UriType> valueSets,
                               @OperationParam(name = "includeIdentityClaim") List<StringType> identityClaims,
                               @OperationParam(name = "_since", max = 1) DateTimeType since,
                               RequestDetails request) {
        if (credentialTypes == null || credentialTypes.isEmpty()
                || !CREDENTIAL_TYPES.containsAll(credentialTypes.stream().map(UriType::getValue).toList())) {
            throw new InvalidRequestException("credentialType must be " + HealthCards.HEALTH_CARD + " (or the older "
                    + HealthCards.IMMUNIZATION + "): this server issues immunization health cards only");
        }
        PersonRecord record = record(id, request);
        HealthCards.Card card = cards.issue(record, issuer(request), since == null || since.getValue() == null ? null
                : since.getValue().toInstant());
        if (wantsFile(request)) {
            String file = "{\"verifiableCredential\":[\"" + card.jws() + "\"]}";
            return binary(record, FILE_TYPE, file.getBytes(StandardCharsets.UTF_8));
        }
        Parameters out = new Parameters();
        out.addParameter().setName("verifiableCredential").setValue(new StringType(card.jws()));
        for (int i = 0; i < card.doses().size(); i++) {
            Parameters.ParametersParameterComponent link = out.addParameter().setName("resourceLink");
            link.addPart().setName("vcIndex").setValue(new IntegerType(0));
            link.addPart().setName("bundledResource").setValue(new UriType("resource:" + (i + 1)));
            link.addPart().setName("hostedResource").setValue(new UriType(request.getFhirServerBase() + "/Immunization/"
                    + card.doses().get(i)));
        }
        Parameters.ParametersParameterComponent patientLink = out.addParameter().setName("resourceLink");
        patientLink.addPart().setName("vcIndex").setValue(new IntegerType(0));
        patientLink.addPart().setName("bundledResource").setValue(new UriType("resource:0"));
        patientLink.addPart().setName("hostedResource").setValue(new UriType(request.getFhirServerBase() + "/Patient/"
                + record.patientId()));
        return out;
    }

    @Operation(name = "$health-card-qr", type = Patient.class, idempotent = true)
    public Binary qr(@IdParam IdType id, RequestDetails request) {
        PersonRecord record = record(id, request);
        HealthCards.Card card = cards.issue(record, issuer(request), null);
        if (!card.fitsOneQr()) {
            throw new UnprocessableEntityException("This record's card is too long for one QR code even without"
                    + " performers and lot numbers (" + card.doses().size() + " doses): download the"
                    + " .smart-health-card file instead ($health-cards-issue with Accept: " + FILE_TYPE + ")");
        }
        return binary(record, "image/png", HealthCardQr.png(card.jws()));
    }

    @Operation(name = "$official-record", type = Patient.class, idempotent = true)
    public Binary officialRecord(@IdParam IdType id, RequestDetails request) {
        PersonRecord record = record(id, request);
        HealthCards.Card card = cards.issue(record, issuer(request), null);
        byte[] pdf = officialRecord.write(record, card.fitsOneQr() ? card.jws() : null, LocalDate.now(ZoneOffset.UTC));
        return binary(record, "application/pdf", pdf);
    }

    private PersonRecord record(IdType id, RequestDetails request) {
        PersonRecord record = access.record(id, request);
        if (!record.patientId().equals(id.getIdPart())) {
            throw new ResourceNotFoundException(id.withResourceType("Patient"));
        }
        return record;
    }

    /** The cards' issuer: the configured public base URL, else this server's base as the request reached it. */
    private String issuer(RequestDetails request) {
        if (!properties.issuer().isBlank()) {
            return properties.issuer().replaceAll("/+$", "");
        }
        String base = request.getFhirServerBase();
        return base.endsWith("/fhir") ? base.substring(0, base.length() - "/fhir".length()) : base;
    }

    private static boolean wantsFile(RequestDetails request) {
        String accept = request.getHeader("Accept");
        String[] format = request.getParameters().get("_format");
        return accept != null && accept.contains(FILE_TYPE)
                || format != null && format.length == 1 && (FILE_TYPE.equals(format[0]) || "smart-health-card".equals(format[0]));
    }

    private static Binary binary(PersonRecord record, String contentType, byte[] data) {
        Binary binary = new Binary().setContentType(contentType).setData(data);
        binary.setSecurityContext(new Reference("Patient/" + record.patientId()));
        return binary;
    }
}
