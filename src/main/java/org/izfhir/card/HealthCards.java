package org.izfhir.card;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.izfhir.hl7.CodingSystems;
import org.izfhir.record.PersonRecord;

/**
 * SMART Health Cards (spec 1.4) of consolidated records: one credential holding the person's name
 * and birth date and every completed dose the registries reported together (CVX, date, lot, who
 * gave it), signed ES256 with the deployment's key ({@link CardKeys}), its payload minified and
 * raw-DEFLATEd. A card that would not fit one QR code (a JWS of at most {@link #MAX_QR_JWS}
 * characters, version 22) is rebuilt leaner in the spec's order: without performers and
 * locations, then without lot numbers. It is never split into chunks.
 */
public final class HealthCards {

    public static final String HEALTH_CARD = "https://smarthealth.cards#health-card";
    /** The older type name, which selects the same card. */
    public static final String IMMUNIZATION = "https://smarthealth.cards#immunization";
    /** The longest JWS a single version-22 QR code holds in SMART Health Cards' numeric encoding. */
    public static final int MAX_QR_JWS = 1195;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IParser FHIR_JSON = FhirContext.forR4Cached().newJsonParser();

    private final Supplier<ECKey> signingKey;
    private final Clock clock;

    /** How much a card leaves out to fit one QR code: nothing, then performers and locations, then lots too. */
    enum Leanness {
        FULL, NO_PERFORMER, NO_LOT
    }

    /**
     * An issued card.
     *
     * @param jws      the signed credential (compact JWS)
     * @param bundle   the FHIR Bundle it holds
     * @param doses    the record's Immunization ids, in the Bundle's order ({@code resource:1} first)
     * @param fitsOneQr whether the JWS fits one QR code
     * @param leanness what was left out to fit it
     */
    public record Card(String jws, Bundle bundle, List<String> doses, boolean fitsOneQr, Leanness leanness) {
    }

    /** @param signingKey the key that signs a new card (the deployment's: {@link CardKeys#signing()}) */
    public HealthCards(Supplier<ECKey> signingKey, Clock clock) {
        this.signingKey = signingKey;
        this.clock = clock;
    }

    /**
     * The card of a record: its completed doses (those last changed at or after {@code since},
     * when given), issued by {@code issuer}; leaner when needed to fit one QR code.
     */
    public Card issue(PersonRecord record, String issuer, Instant since) {
        ECKey key = signingKey.get();
        List<Immunization> doses = doses(record, since);
        List<String> doseIds = doses.stream().map(d -> d.getIdElement().getIdPart()).toList();
        Card card = null;
        for (Leanness leanness : Leanness.values()) {
            Bundle bundle = bundle(record.patient(), doses, leanness);
            String jws = sign(payload(issuer, bundle), key);
            card = new Card(jws, bundle, doseIds, jws.length() <= MAX_QR_JWS, leanness);
            if (card.fitsOneQr()) {
                break;
            }
        }
        return card;
    }

    /** The completed doses of a record, oldest first. */
    static List<Immunization> doses(PersonRecord record, Instant since) {
        return record.immunizations().stream()
                .filter(dose -> dose.getStatus() == Immunization.ImmunizationStatus.COMPLETED)
                .filter(dose -> dose.hasOccurrenceDateTimeType() && dose.hasVaccineCode())
                .filter(dose -> since == null || dose.getMeta().getLastUpdated() == null
                        || !dose.getMeta().getLastUpdated().toInstant().isBefore(since))
                .sorted(Comparator.comparing(dose -> dose.getOccurrenceDateTimeType().getValueAsString()))
                .toList();
    }

    /**
     * The card's Bundle: a collection with {@code resource:N} full URLs, the Patient (name and birth
     * date only) and one Immunization per dose, minimal: no ids, meta, narrative, displays or texts.
     */
    static Bundle bundle(Patient patient, List<Immunization> doses, Leanness leanness) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Patient person = new Patient();
        HumanName name = patient.getNameFirstRep();
        person.addName().setFamily(name.getFamily()).setGiven(name.getGiven().stream().map(g -> g.copy()).toList());
        person.setBirthDateElement(patient.getBirthDateElement().copy());
        bundle.addEntry().setFullUrl("resource:0").setResource(person);
        for (Immunization dose : doses) {
            Immunization card = new Immunization().setStatus(Immunization.ImmunizationStatus.COMPLETED);
            CodeableConcept vaccine = new CodeableConcept();
            dose.getVaccineCode().getCoding().stream().filter(c -> CodingSystems.CVX.equals(c.getSystem())).findFirst()
                    .ifPresent(cvx -> vaccine.addCoding(new Coding(cvx.getSystem(), cvx.getCode(), null)));
            card.setVaccineCode(vaccine);
            card.setPatient(new Reference("resource:0"));
            card.setOccurrence(new org.hl7.fhir.r4.model.DateTimeType(
                    dose.getOccurrenceDateTimeType().getValueAsString().substring(0, 10)));
            if (leanness == Leanness.FULL) {
                String performer = dose.getLocation().hasDisplay() ? dose.getLocation().getDisplay()
                        : dose.getPerformer().stream().map(p -> p.getActor().getDisplay())
                        .filter(d -> d != null && !d.isBlank()).findFirst().orElse(null);
                if (performer != null) {
                    card.addPerformer().setActor(new Reference().setDisplay(performer));
                }
            }
            if (leanness != Leanness.NO_LOT && dose.hasLotNumber()) {
                card.setLotNumber(dose.getLotNumber());
            }
            String fullUrl = "resource:" + bundle.getEntry().size();
            bundle.addEntry().setFullUrl(fullUrl).setResource(card);
        }
        return bundle;
    }

    /** The JWT payload, minified: issuer, not-before, and the credential holding the Bundle. */
    private String payload(String issuer, Bundle bundle) {
        try {
            ObjectNode payload = JSON.createObjectNode();
            payload.put("iss", issuer);
            payload.put("nbf", clock.instant().getEpochSecond());
            ObjectNode vc = payload.putObject("vc");
            vc.putArray("type").add(HEALTH_CARD);
            ObjectNode subject = vc.putObject("credentialSubject");
            subject.put("fhirVersion", "4.0.1");
            subject.set("fhirBundle", JSON.readTree(FHIR_JSON.encodeResourceToString(bundle)));
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a health card payload could not be written", e);
        }
    }

    /** Raw DEFLATE of the payload, signed ES256 with {@code zip: DEF} and the key's thumbprint as {@code kid}. */
    private static String sign(String payload, ECKey key) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        deflater.finish();
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            deflated.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                    .customParam("zip", "DEF").build(), new Payload(deflated.toByteArray()));
            jws.sign(new ECDSASigner(key));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("a health card could not be signed", e);
        }
    }
}
