package org.izfhir.hl7.query;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.NoValidation;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.izfhir.hl7.response.ResponseReader;
import org.izfhir.hl7.v2.MessageReader;
import org.izfhir.hl7.v2.Segment;
import org.junit.jupiter.api.Test;

class QueryBuilderTest {

    private static final MessageHeader HEADER = new MessageHeader("IZFHIR", "IZFHIR-ORG", "NJIIS", "NJDOH", "P");
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 21, 8, 30, 15, 0, ZoneOffset.ofHours(-5));

    private final QueryBuilder builder = new QueryBuilder();

    private static PersonQuery fullPerson() {
        return new PersonQuery(
                List.of(new PersonQuery.Identifier("MRN-1", "MYEHR", "MR"), new PersonQuery.Identifier("IIS-9", "NJIIS", "SR")),
                "O'Brien^Smith", "Ana&Maria", "Q", "Jr", "Lopez", "Rosa", LocalDate.of(2019, 4, 2), "F",
                new PersonQuery.Address("12 Main St", "Apt 3", "Trenton", "NJ", "08601", "USA"),
                "(609) 555-0134", true, 2);
    }

    private static Terser parseWithHapi(String message) throws Exception {
        try (HapiContext context = new DefaultHapiContext()) {
            context.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
            context.setValidationContext(new NoValidation());
            Message parsed = context.getPipeParser().parse(message);
            assertThat(parsed.getName()).isEqualTo("QBP_Q11");
            return new Terser(parsed);
        }
    }

    @Test
    void whenZ34BuiltThenHapiReadsEveryFieldWhereTheGuidePutsIt() throws Exception {
        String message = builder.build(QueryProfile.Z34, fullPerson(), HEADER, "MSG-1", "TAG-1", NOW, 10);
        Terser terser = parseWithHapi(message);

        assertThat(terser.get("/MSH-3-1")).isEqualTo("IZFHIR");
        assertThat(terser.get("/MSH-4-1")).isEqualTo("IZFHIR-ORG");
        assertThat(terser.get("/MSH-5-1")).isEqualTo("NJIIS");
        assertThat(terser.get("/MSH-6-1")).isEqualTo("NJDOH");
        assertThat(terser.get("/MSH-7-1")).isEqualTo("20261121083015-0500");
        assertThat(terser.get("/MSH-9-1")).isEqualTo("QBP");
        assertThat(terser.get("/MSH-9-2")).isEqualTo("Q11");
        assertThat(terser.get("/MSH-9-3")).isEqualTo("QBP_Q11");
        assertThat(terser.get("/MSH-10")).isEqualTo("MSG-1");
        assertThat(terser.get("/MSH-11-1")).isEqualTo("P");
        assertThat(terser.get("/MSH-12-1")).isEqualTo("2.5.1");
        assertThat(terser.get("/MSH-15")).isEqualTo("ER");
        assertThat(terser.get("/MSH-16")).isEqualTo("AL");
        assertThat(terser.get("/MSH-21-1")).isEqualTo("Z34");
        assertThat(terser.get("/MSH-21-2")).isEqualTo("CDCPHINVS"); // EI: entity id ^ namespace id
        assertThat(terser.get("/QPD-1-1")).isEqualTo("Z34");
        assertThat(terser.get("/QPD-1-2")).isEqualTo("Request Immunization History");
        assertThat(terser.get("/QPD-1-3")).isEqualTo("CDCPHINVS");
        assertThat(terser.get("/QPD-2")).isEqualTo("TAG-1");
        assertThat(terser.get("/RCP-1")).isEqualTo("I");
        assertThat(terser.get("/RCP-2-1")).isEqualTo("10");
        assertThat(terser.get("/RCP-2-2-1")).isEqualTo("RD");
        assertThat(terser.get("/RCP-2-2-3")).isEqualTo("HL70126");
    }

    @Test
    void whenDemographicsBuiltThenQpdFieldsReadBackUnescaped() throws Exception {
        String message = builder.build(QueryProfile.Z44, fullPerson(), HEADER, "MSG-2", "TAG-2", NOW, 5);
        Segment qpd = new MessageReader().read(message).first("QPD").orElseThrow();

        assertThat(qpd.get(1, 1)).isEqualTo("Z44");
        assertThat(qpd.get(1, 2)).isEqualTo("Request Evaluated History and Forecast");
        assertThat(qpd.rawRepetitions(3)).hasSize(2);
        assertThat(qpd.component(qpd.rawRepetitions(3).get(0), 1)).isEqualTo("MRN-1");
        assertThat(qpd.component(qpd.rawRepetitions(3).get(0), 4)).isEqualTo("MYEHR");
        assertThat(qpd.component(qpd.rawRepetitions(3).get(0), 5)).isEqualTo("MR");
        assertThat(qpd.component(qpd.rawRepetitions(3).get(1), 1)).isEqualTo("IIS-9");
        assertThat(qpd.get(4, 1)).isEqualTo("O'Brien^Smith");
        assertThat(qpd.get(4, 2)).isEqualTo("Ana&Maria");
        assertThat(qpd.get(4, 3)).isEqualTo("Q");
        assertThat(qpd.get(4, 4)).isEqualTo("Jr");
        assertThat(qpd.get(4, 7)).isEqualTo("L");
        assertThat(qpd.get(5, 1)).isEqualTo("Lopez");
        assertThat(qpd.get(5, 2)).isEqualTo("Rosa");
        assertThat(qpd.get(5, 7)).isEqualTo("M");
        assertThat(qpd.get(6)).isEqualTo("20190402");
        assertThat(qpd.get(7)).isEqualTo("F");
        assertThat(qpd.get(8, 1)).isEqualTo("12 Main St");
        assertThat(qpd.get(8, 2)).isEqualTo("Apt 3");
        assertThat(qpd.get(8, 3)).isEqualTo("Trenton");
        assertThat(qpd.get(8, 4)).isEqualTo("NJ");
        assertThat(qpd.get(8, 5)).isEqualTo("08601");
        assertThat(qpd.get(8, 6)).isEqualTo("USA");
        assertThat(qpd.get(9, 2)).isEqualTo("PRN");
        assertThat(qpd.get(9, 3)).isEqualTo("PH");
        assertThat(qpd.get(9, 6)).isEqualTo("609");
        assertThat(qpd.get(9, 7)).isEqualTo("5550134");
        assertThat(qpd.get(10)).isEqualTo("Y");
        assertThat(qpd.get(11)).isEqualTo("2");
    }

    @Test
    void whenNameHoldsDelimitersThenHapiSeesOneEscapedName() throws Exception {
        String message = builder.build(QueryProfile.Z34, fullPerson(), HEADER, "MSG-3", "TAG-3", NOW, 10);
        Terser terser = parseWithHapi(message);

        assertThat(message).contains("O'Brien\\S\\Smith^Ana\\T\\Maria");
        assertThat(message.split("\r")).hasSize(3);
        // HAPI keeps the escape sequences in Varies fields; unescaped they are the name as given.
        assertThat(terser.get("/QPD-4-1")).isIn("O'Brien^Smith", "O'Brien\\S\\Smith");
    }

    @Test
    void whenOnlyTheMinimumIsKnownThenNothingElseIsSent() {
        String message = builder.build(QueryProfile.Z34, PersonQuery.of("Doe", "Jane", LocalDate.of(2020, 1, 31)),
                HEADER, "MSG-4", "TAG-4", NOW, 10);

        assertThat(message.split("\r")[1]).isEqualTo(
                "QPD|Z34^Request Immunization History^CDCPHINVS|TAG-4||Doe^Jane^^^^^L||20200131");
    }

    @Test
    void whenAnswerEchoesTheTagThenReaderSeesIt() {
        String answer = "MSH|^~\\&|NJIIS|NJDOH|IZFHIR|IZFHIR-ORG|20261121||RSP^K11^RSP_K11|R1|P|2.5.1|||||||||Z33^CDCPHINVS\r"
                + "MSA|AA|MSG-5\rQAK|TAG-5|NF\r";

        var response = new ResponseReader().read(answer, "NJ");

        assertThat(response.header().queryTag()).isEqualTo("TAG-5");
        assertThat(response.header().acknowledgedControlId()).isEqualTo("MSG-5");
    }
}
