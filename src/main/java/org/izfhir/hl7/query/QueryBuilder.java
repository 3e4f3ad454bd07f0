package org.izfhir.hl7.query;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.izfhir.hl7.v2.SegmentWriter;

/**
 * Builds QBP^Q11 queries (Z34, Z44) exactly as the CDC guide lays them out, segments separated by
 * CR. Stateless and thread-safe; ids and time are inputs so that the same input gives the same
 * message.
 *
 * @see <a href="https://repository.immregistries.org/resource/hl7-version-2-5-1-implementation-guide-for-immunization-messaging-release-1-5-1/">CDC HL7 2.5.1 IG release 1.5, QBP^Q11 (Z34, Z44)</a>
 */
public final class QueryBuilder {

    private static final DateTimeFormatter MESSAGE_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;

    /** RCP-2 default: the number of candidate records a registry may return. */
    public static final int DEFAULT_MAX_RECORDS = 10;

    /**
     * @param controlId  MSH-10, unique per message
     * @param queryTag   QPD-2, unique per query; the answer's QAK-1 echoes it
     * @param maxRecords RCP-2, how many candidates the registry may return
     */
    public String build(QueryProfile profile, PersonQuery person, MessageHeader header, String controlId,
                        String queryTag, ZonedDateTime now, int maxRecords) {
        String msh = SegmentWriter.msh()
                .field(3, header.sendingApplication()).field(4, header.sendingFacility())
                .field(5, header.receivingApplication()).field(6, header.receivingFacility())
                .field(7, MESSAGE_TIME.format(now))
                .field(9, "QBP", "Q11", "QBP_Q11").field(10, controlId).field(11, header.processingId())
                .field(12, "2.5.1").field(15, "ER").field(16, "AL")
                .field(21, profile.name(), "CDCPHINVS")
                .build();
        String qpd = qpd(profile, person, queryTag);
        String rcp = new SegmentWriter("RCP").field(1, "I")
                .rawComponents(2, String.valueOf(maxRecords), SegmentWriter.subcomponents("RD", "Records", "HL70126"))
                .build();
        return msh + "\r" + qpd + "\r" + rcp + "\r";
    }

    private static String qpd(QueryProfile profile, PersonQuery person, String queryTag) {
        SegmentWriter qpd = new SegmentWriter("QPD")
                .field(1, profile.name(), profile.queryName(), "CDCPHINVS")
                .field(2, queryTag);
        List<String> identifiers = new ArrayList<>();
        for (PersonQuery.Identifier id : person.identifiers()) {
            identifiers.add(SegmentWriter.components(id.value(), "", "", id.authority(), id.type()));
        }
        qpd.repetitions(3, identifiers);
        qpd.field(4, person.family(), person.given(), person.middle(), person.suffix(), "", "", "L");
        if (!person.mothersMaidenFamily().isEmpty()) {
            qpd.field(5, person.mothersMaidenFamily(), person.mothersMaidenGiven(), "", "", "", "", "M");
        }
        qpd.field(6, DATE.format(person.birthDate()));
        if (person.sex() != null) {
            qpd.field(7, person.sex());
        }
        PersonQuery.Address address = person.address();
        if (address != null) {
            qpd.field(8, nonNull(address.street()), nonNull(address.otherLine()), nonNull(address.city()),
                    nonNull(address.state()), nonNull(address.postalCode()), nonNull(address.country()), "L");
        }
        String phone = person.phone();
        if (phone.length() == 10) {
            qpd.field(9, "", "PRN", "PH", "", "", phone.substring(0, 3), phone.substring(3));
        } else if (!phone.isEmpty()) {
            qpd.field(9, "", "PRN", "PH", "", "", "", phone);
        }
        if (person.multipleBirth() != null) {
            qpd.field(10, person.multipleBirth() ? "Y" : "N");
        }
        if (person.birthOrder() != null) {
            qpd.field(11, String.valueOf(person.birthOrder()));
        }
        return qpd.build();
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
