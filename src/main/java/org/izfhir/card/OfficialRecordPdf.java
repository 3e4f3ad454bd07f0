package org.izfhir.card;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.COSObjectable;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.common.PDNumberTreeNode;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDMarkInfo;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureTreeRoot;
import org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDMarkedContent;
import org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDPropertyList;
import org.apache.pdfbox.pdmodel.documentinterchange.taggedpdf.StandardStructureTypes;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.viewerpreferences.PDViewerPreferences;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.ImmunizationRecommendation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.izfhir.record.Consolidator;
import org.izfhir.record.ForecastResources;
import org.izfhir.record.PersonRecord;
import org.izfhir.record.RegistryAnswer;
import org.izfhir.record.RegistryOutcomes;

/**
 * The official immunization record of a consolidated record, as a tagged, accessible PDF (US
 * Letter, fonts embedded, every line in the structure tree, the QR code as a figure with its
 * alternative text): the person, every dose (vaccine in words and CVX, date, lot, the registries
 * that reported it, refused and historical doses marked), the server's forecast of what is due and
 * overdue, which registries were asked and what they answered, the issuing deployment and date,
 * its jurisdiction's wording and logo when configured, and the SMART Health Card's QR code. A
 * usual record (up to about 25 doses) fits one page.
 */
public final class OfficialRecordPdf {

    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final float MARGIN = 48;
    private static final float BODY = 8.5f;
    private static final float[] COLUMNS = {0, 62, 250, 282, 350};

    private final CardProperties properties;

    public OfficialRecordPdf(CardProperties properties) {
        this.properties = properties;
    }

    /** The record's PDF, issued on {@code issued}, with the QR code of {@code cardJws} when it fits one. */
    public byte[] write(PersonRecord record, String cardJws, LocalDate issued) {
        try (PDDocument document = new PDDocument()) {
            Writer writer = new Writer(document);
            writer.header(issued, cardJws);
            writer.person(record);
            writer.doses(record);
            writer.forecast(record);
            writer.registries(record);
            writer.closing();
            writer.finish(title(record));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("the official record could not be written", e);
        }
    }

    private static String title(PersonRecord record) {
        return "Official immunization record of " + name(record);
    }

    private static String name(PersonRecord record) {
        var name = record.patient().getNameFirstRep();
        return (name.getGivenAsSingleString() + " " + (name.getFamily() == null ? "" : name.getFamily())).trim();
    }

    /** Lays out tagged lines top to bottom, page after page. */
    private final class Writer {
        private final PDDocument document;
        private final PDFont font;
        private final PDStructureElement root;
        private final List<COSArray> parentTrees = new ArrayList<>();
        private PDPage page;
        private PDPageContentStream content;
        private COSArray parents;
        private int mcid;
        private float y;
        /** Where the text may use the page's whole width again, below the QR code. */
        private float belowFigure = Float.MAX_VALUE;

        Writer(PDDocument document) throws IOException {
            this.document = document;
            try (InputStream in = OfficialRecordPdf.class.getResourceAsStream(FONT)) {
                this.font = PDType0Font.load(document, in);
            }
            PDStructureTreeRoot tree = new PDStructureTreeRoot();
            document.getDocumentCatalog().setStructureTreeRoot(tree);
            root = new PDStructureElement(StandardStructureTypes.DOCUMENT, tree);
            tree.appendKid(root);
            newPage();
        }

        private void newPage() throws IOException {
            if (content != null) {
                content.close();
            }
            page = new PDPage(PDRectangle.LETTER);
            page.setStructParents(parentTrees.size());
            document.addPage(page);
            content = new PDPageContentStream(document, page);
            parents = new COSArray();
            parentTrees.add(parents);
            mcid = 0;
            y = page.getMediaBox().getHeight() - MARGIN;
        }

        private void room(float height) throws IOException {
            if (y - height < MARGIN) {
                newPage();
            }
        }

        /** One line of text in its own structure element; cells at the given x offsets. */
        private void line(String type, float size, float[] xs, String... cells) throws IOException {
            room(size * 1.5f);
            y -= size * 1.38f;
            tagged(type, null, () -> {
                for (int i = 0; i < cells.length; i++) {
                    content.beginText();
                    content.setFont(font, size);
                    content.newLineAtOffset(MARGIN + xs[i], y);
                    content.showText(fit(cells[i], size, (i + 1 < xs.length ? xs[i + 1] - xs[i] : 520 - xs[i]) - 4));
                    content.endText();
                }
            });
        }

        private void figure(PDImageXObject image, float x, float atY, float width, float height, String alt)
                throws IOException {
            tagged(StandardStructureTypes.Figure, alt, () -> content.drawImage(image, x, atY, width, height));
        }

        /** Draws content as one element of the structure tree: marked with its MCID, in the page's parent tree. */
        private void tagged(String type, String alternateDescription, Drawing drawing) throws IOException {
            PDStructureElement element = new PDStructureElement(type, root);
            element.setPage(page);
            if (alternateDescription != null) {
                element.setAlternateDescription(alternateDescription);
            }
            root.appendKid(element);
            COSDictionary properties = new COSDictionary();
            properties.setInt(COSName.MCID, mcid);
            content.beginMarkedContent(COSName.getPDFName(type), PDPropertyList.create(properties));
            drawing.draw();
            content.endMarkedContent();
            element.appendKid(new PDMarkedContent(COSName.getPDFName(type), properties));
            parents.add(element);
            mcid++;
        }

        private void text(String type, float size, String text) throws IOException {
            for (String part : wrap(text, size, 516)) {
                line(type, size, new float[] {0}, part);
            }
        }

        private String fit(String text, float size, float width) throws IOException {
            String clean = text == null ? "" : text.replaceAll("[\\r\\n\\t]", " ");
            while (!clean.isEmpty() && font.getStringWidth(clean) / 1000 * size > width) {
                clean = clean.substring(0, clean.length() - 2) + "…";
            }
            return clean;
        }

        private List<String> wrap(String text, float size, float width) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String word : text.split(" ")) {
                String next = current.isEmpty() ? word : current + " " + word;
                if (font.getStringWidth(next) / 1000 * size > width && !current.isEmpty()) {
                    lines.add(current.toString());
                    current = new StringBuilder(word);
                } else {
                    current = new StringBuilder(next);
                }
            }
            if (!current.isEmpty()) {
                lines.add(current.toString());
            }
            return lines;
        }

        void header(LocalDate issued, String cardJws) throws IOException {
            if (cardJws != null && cardJws.length() <= HealthCards.MAX_QR_JWS) {
                float size = 170; // 1.6 pt (0.57 mm) a module at version 22: what phone cameras read on paper
                float top = page.getMediaBox().getHeight() - MARGIN;
                PDImageXObject qr = LosslessFactory.createFromImage(document, HealthCardQr.image(HealthCardQr.code(cardJws)));
                belowFigure = top - size - 4;
                figure(qr, page.getMediaBox().getWidth() - MARGIN - size, top - size, size, size,
                        "QR code of the SMART Health Card holding these vaccinations: scan it with a health card verifier");
            }
            if (!properties.logo().isBlank()) {
                PDImageXObject logo = PDImageXObject.createFromByteArray(document,
                        Files.readAllBytes(Path.of(properties.logo())), "logo");
                float height = 40;
                float width = logo.getWidth() * height / logo.getHeight();
                y -= height;
                figure(logo, MARGIN, y, width, height, properties.issuerName() + " logo");
            }
            text(StandardStructureTypes.P, 10, properties.issuerName());
            text(StandardStructureTypes.H1, 16, "Official immunization record");
            text(StandardStructureTypes.P, BODY, "Issued " + issued + ". Doses reported by every registry consulted,");
            text(StandardStructureTypes.P, BODY, "combined so that each dose appears once. The QR code is a SMART Health Card"
                    + " of them.");
        }

        void person(PersonRecord record) throws IOException {
            y -= 4;
            text(StandardStructureTypes.P, 11, "Name: " + name(record));
            text(StandardStructureTypes.P, 11, "Date of birth: " + record.patient().getBirthDateElement().getValueAsString());
        }

        void doses(PersonRecord record) throws IOException {
            y = Math.min(y, belowFigure) - 6;
            text(StandardStructureTypes.H2, 12, "Vaccinations (" + record.immunizations().size() + ")");
            line(StandardStructureTypes.P, BODY, COLUMNS, "Date", "Vaccine", "CVX", "Lot", "Reported by");
            Map<String, String> registries = record.sources().stream()
                    .collect(Collectors.toMap(RegistryAnswer::registryId, RegistryAnswer::registryName, (a, b) -> a));
            List<Immunization> doses = new ArrayList<>(record.immunizations());
            doses.sort(java.util.Comparator.comparing(d -> d.hasOccurrenceDateTimeType()
                    ? d.getOccurrenceDateTimeType().getValueAsString() : ""));
            for (Immunization dose : doses) {
                Coding cvx = dose.getVaccineCode().getCoding().stream()
                        .filter(c -> "http://hl7.org/fhir/sid/cvx".equals(c.getSystem())).findFirst().orElse(new Coding());
                String vaccine = cvx.hasDisplay() ? cvx.getDisplay() : dose.getVaccineCode().getText();
                if (dose.getStatus() == Immunization.ImmunizationStatus.NOTDONE) {
                    vaccine = "REFUSED / NOT GIVEN: " + vaccine;
                } else if (dose.hasPrimarySource() && !dose.getPrimarySource()) {
                    vaccine = vaccine + " (historical record)";
                }
                String reportedBy = dose.getMeta().getTag().stream()
                        .filter(t -> Consolidator.REGISTRY_TAG.equals(t.getSystem()))
                        .map(t -> registries.getOrDefault(t.getCode(), t.getCode())).collect(Collectors.joining(", "));
                line(StandardStructureTypes.P, BODY, COLUMNS, dose.hasOccurrenceDateTimeType()
                                ? dose.getOccurrenceDateTimeType().getValueAsString().substring(0, 10) : "unknown",
                        vaccine, cvx.getCode(), dose.getLotNumber(), reportedBy);
            }
        }

        void forecast(PersonRecord record) throws IOException {
            ImmunizationRecommendation forecast = record.recommendations().stream()
                    .filter(r -> r.getMeta().getTag(ForecastResources.FORECASTER_TAG, ForecastResources.CDSI) != null)
                    .findFirst().orElse(null);
            if (forecast == null) {
                return;
            }
            y -= 6;
            text(StandardStructureTypes.H2, 12, "Due and overdue within a year (forecast on "
                    + forecast.getDateElement().getValueAsString().substring(0, 10) + " by CDC's schedule logic)");
            LocalDate horizon = LocalDate.parse(forecast.getDateElement().getValueAsString().substring(0, 10)).plusYears(1);
            Map<String, String[]> rows = new TreeMap<>();
            for (var recommendation : forecast.getRecommendation()) {
                String status = recommendation.getForecastStatus().getCoding().stream()
                        .filter(c -> "due".equals(c.getCode()) || "overdue".equals(c.getCode()))
                        .map(Coding::getCode).findFirst().orElse(null);
                String due = criterion(recommendation, "30980-7");
                if (status == null || due == null || LocalDate.parse(due).isAfter(horizon)) {
                    continue; // complete, or not due within the coming year
                }
                String overdue = criterion(recommendation, "59778-1");
                rows.put(due + recommendation.getVaccineCodeFirstRep().getText(), new String[] {
                        recommendation.getVaccineCodeFirstRep().getText(), status, due, overdue == null ? "" : overdue});
            }
            if (rows.isEmpty()) {
                text(StandardStructureTypes.P, BODY, "Nothing is due or overdue within the coming year.");
                return;
            }
            float[] columns = {0, 110, 170, 250};
            line(StandardStructureTypes.P, BODY, columns, "Vaccine", "Status", "Due", "Overdue from");
            for (String[] row : rows.values()) {
                line(StandardStructureTypes.P, BODY, columns, row);
            }
        }

        private static String criterion(ImmunizationRecommendation.ImmunizationRecommendationRecommendationComponent
                                                recommendation, String loinc) {
            return recommendation.getDateCriterion().stream()
                    .filter(c -> c.getCode().hasCoding("http://loinc.org", loinc))
                    .map(c -> c.getValueElement().getValueAsString().substring(0, 10)).findFirst().orElse(null);
        }

        void registries(PersonRecord record) throws IOException {
            y -= 6;
            text(StandardStructureTypes.H2, 12, "Registries consulted");
            for (OperationOutcome.OperationOutcomeIssueComponent issue : record.outcome().getIssue()) {
                if (issue.getExtensionByUrl(RegistryOutcomes.REGISTRY_EXTENSION) != null) {
                    text(StandardStructureTypes.P, BODY, issue.getDiagnostics());
                }
            }
        }

        void closing() throws IOException {
            y -= 6;
            if (!properties.authority().isBlank()) {
                text(StandardStructureTypes.P, BODY, properties.authority());
            }
            if (properties.signatureLine()) {
                y -= 18;
                text(StandardStructureTypes.P, BODY, "Signature: ______________________________   Date: ______________");
            }
        }

        /** The document-level parts of a tagged PDF: parent tree, language, title, marked. */
        void finish(String title) throws IOException {
            content.close();
            PDDocumentCatalog catalog = document.getDocumentCatalog();
            PDNumberTreeNode parentTree = new PDNumberTreeNode(COSDictionary.class);
            Map<Integer, COSObjectable> numbers = new java.util.HashMap<>();
            for (int i = 0; i < parentTrees.size(); i++) {
                numbers.put(i, parentTrees.get(i));
            }
            parentTree.setNumbers(numbers);
            catalog.getStructureTreeRoot().setParentTree(parentTree);
            catalog.getStructureTreeRoot().setParentTreeNextKey(parentTrees.size());
            PDMarkInfo markInfo = new PDMarkInfo();
            markInfo.setMarked(true);
            catalog.setMarkInfo(markInfo);
            catalog.setLanguage("en-US");
            PDViewerPreferences preferences = new PDViewerPreferences(new COSDictionary());
            preferences.setDisplayDocTitle(true);
            catalog.setViewerPreferences(preferences);
            document.getDocumentInformation().setTitle(title);
            document.getDocumentInformation().setProducer(properties.issuerName());
            document.getDocumentInformation().setCreationDate(Calendar.getInstance());
            PDMetadata metadata = new PDMetadata(document);
            metadata.importXMPMetadata(xmp(title).getBytes(StandardCharsets.UTF_8));
            catalog.setMetadata(metadata);
        }
    }

    /** Page content drawn inside a tagged element. */
    private interface Drawing {
        void draw() throws IOException;
    }

    /** XMP metadata with the title, as PDF/UA readers look for it. */
    private static String xmp(String title) {
        String escaped = title.replace("&", "&amp;").replace("<", "&lt;");
        return "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
                + " xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"><dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">"
                + escaped + "</rdf:li></rdf:Alt></dc:title><pdfuaid:part>1</pdfuaid:part></rdf:Description>"
                + "</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
    }
}
