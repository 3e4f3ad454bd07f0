package org.izfhir.hl7.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.izfhir.hl7.v2.MalformedMessageException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageReaderTest {

    private static final String MESSAGE = "MSH|^~\\&|IIS|STATE|EHR|CLINIC|20240101||RSP^K11^RSP_K11|42|P|2.5.1\r"
            + "MSA|AA|Q1\rQAK|T1|OK\rPID|1||123^^^IIS^SR||Doe^Jane||20200101|F\r";

    private final MessageReader reader = new MessageReader();

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\n", "\r\n", "\n\n", "\r\r\n"})
    void whenAnySegmentSeparatorThenSameSegments(String separator) throws Exception {
        Message message = reader.read(MESSAGE.replace("\r", separator));

        assertThat(message.segments()).extracting(Segment::name).containsExactly("MSH", "MSA", "QAK", "PID");
        assertThat(message.first("PID").orElseThrow().get(5, 2)).isEqualTo("Jane");
    }

    @Test
    void whenFramedOrFollowedByGarbageThenTheMessageIsStillRead() throws Exception {
        Message message = reader.read("\u000B" + MESSAGE + "\u001C\r   \u0000trailing junk that is no segment\r\r");

        assertThat(message.segments()).hasSize(4);
        assertThat(message.controlId()).isEqualTo("42");
    }

    @Test
    void whenFieldsAreAskedThenMshNumberingFollowsTheStandard() throws Exception {
        Segment msh = reader.read(MESSAGE).msh();

        assertThat(msh.get(1)).isEqualTo("|");
        assertThat(msh.rawField(2)).isEqualTo("^~\\&");
        assertThat(msh.get(3)).isEqualTo("IIS");
        assertThat(msh.get(9, 3)).isEqualTo("RSP_K11");
        assertThat(msh.get(99)).isEmpty();
        assertThat(msh.get(9, 99)).isEmpty();
    }

    @Test
    void whenValuesAreEscapedThenTheyComeBackUnescaped() throws Exception {
        Segment pid = reader.read("MSH|^~\\&|A\rPID|1||||O\\S\\Brien\\T\\Co^Ann\\F\\Marie\\E\\X\\.br\\Y\\X41\\|").first("PID").orElseThrow();

        assertThat(pid.get(5, 1)).isEqualTo("O^Brien&Co");
        assertThat(pid.get(5, 2)).isEqualTo("Ann|Marie\\X\nYA");
    }

    @Test
    void whenEscapingThenUnescapingThenTheValueIsUnchanged() {
        String hostile = "a|b^c~d\\e&f\\F\\g\r\nh";
        assertThat(Delimiters.STANDARD.unescape(Delimiters.STANDARD.escape(hostile))).isEqualTo("a|b^c~d\\e&f\\F\\g\nh");
    }

    @Test
    void whenSecondMessageFollowsThenBothAreRead() throws Exception {
        assertThat(reader.readAll(MESSAGE + MESSAGE.replace("|42|", "|43|"))).extracting(Message::controlId)
                .containsExactly("42", "43");
    }

    @Test
    void whenEmptyThenClassifiedEmpty() {
        assertReason("", Reason.EMPTY);
        assertReason(" \r\n ", Reason.EMPTY);
        assertReason(null, Reason.EMPTY);
    }

    @Test
    void whenNoMshThenClassified() {
        assertReason("PID|1||123\r", Reason.NO_MSH);
        assertReason("<html><body>Gateway Timeout</body></html>", Reason.NO_MSH);
    }

    @Test
    void whenDelimitersAreBrokenThenClassified() {
        assertReason("MSH|^^\\&|A\r", Reason.BAD_DELIMITERS);
        assertReason("MSH|", Reason.BAD_DELIMITERS);
        assertReason("MSHa^~\\&|A\r", Reason.BAD_DELIMITERS);
    }

    @Test
    void whenBinaryThenClassified() {
        assertReason("MSH|^~\\&|A\r\u0001\u0002\u0003\u0004binary\rPID|1\r", Reason.BINARY);
    }

    @Test
    void whenHugeThenRefusedQuickly() {
        assertReason("MSH|^~\\&|" + "x".repeat(MessageReader.DEFAULT_MAX_CHARS), Reason.TOO_LARGE);
        assertReason(MESSAGE + "OBX|1|ST|x||y\r".repeat(MessageReader.DEFAULT_MAX_SEGMENTS), Reason.TOO_LARGE);
    }

    @Test
    void whenTenThousandSegmentsThenReadInLinearTime() {
        String big = MESSAGE + "OBX|1|ST|x||y\r".repeat(10_000);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThat(reader.read(big).segments()).hasSize(10_004));
    }

    @Test
    void whenTruncatedMidSegmentThenWhatIsThereIsRead() throws Exception {
        Message message = reader.read(MESSAGE.substring(0, MESSAGE.indexOf("Jane") + 2));

        assertThat(message.first("PID").orElseThrow().get(5, 2)).isEqualTo("Ja");
    }

    @Test
    void whenLatin1BytesDecodedAsUtf8ThenReplacementCharsAreKeptNotFatal() throws Exception {
        String mangled = new String("MSH|^~\\&|A\rPID|1||||Mu\u00f1oz^Jos\u00e9\r".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                java.nio.charset.StandardCharsets.UTF_8);

        assertThat(reader.read(mangled).first("PID").orElseThrow().get(5, 1)).startsWith("Mu");
    }

    private void assertReason(String text, Reason reason) {
        assertThatThrownBy(() -> reader.read(text)).isInstanceOf(MalformedMessageException.class)
                .extracting(e -> ((MalformedMessageException) e).reason()).isEqualTo(reason);
    }
}
