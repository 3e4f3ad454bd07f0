package org.izfhir.codes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads the CDC code set files, exactly as CDC publishes them, into {@link Codes}.
 *
 * <p>The files are {@code cvx.xml}, {@code mvx.xml}, {@code vac2vg.xml} (XML exports of CDC's
 * tables), {@code NDC_Unit_use.txt}, {@code NDC_Unit_sale.txt} and {@code NDC_Linker.txt}
 * (pipe-delimited), and {@code tradename.xml} (which manufacturers make which CVX). A new CDC release is a matter of replacing the files: no code changes.
 *
 * @see <a href="https://www2.cdc.gov/vaccines/iis/iisstandards/vaccines.asp">CDC IIS code sets</a>
 */
public final class CodeSetLoader {

    /** Opens one code set file by its name. */
    @FunctionalInterface
    public interface CodeFiles {
        InputStream open(String fileName) throws IOException;
    }

    public static final String CVX = "cvx.xml";
    public static final String MVX = "mvx.xml";
    public static final String VACCINE_GROUPS = "vac2vg.xml";
    public static final String NDC_UNIT_OF_USE = "NDC_Unit_use.txt";
    public static final String NDC_UNIT_OF_SALE = "NDC_Unit_sale.txt";
    public static final String NDC_LINKER = "NDC_Linker.txt";
    public static final String TRADE_NAMES = "tradename.xml";

    private static final DateTimeFormatter CDC_DATE = DateTimeFormatter.ofPattern("M/d/yyyy");

    private CodeSetLoader() {
    }

    /**
     * Loads every code set.
     *
     * @throws CodeSetException naming the file and the entry when a file is missing or malformed
     */
    public static Codes load(CodeFiles files) {
        List<Vaccine> vaccines = readCvx(files);
        List<Manufacturer> manufacturers = readMvx(files);
        Map<String, List<VaccineGroup>> groups = readVaccineGroups(files);
        List<NdcProduct> ndcs = readNdc(files);
        return new Codes(vaccines, manufacturers, groups, ndcs, readTradeNames(files));
    }

    private static List<Vaccine> readCvx(CodeFiles files) {
        List<Vaccine> vaccines = new ArrayList<>();
        for (Element info : elements(parse(files, CVX), "CVXInfo")) {
            String code = required(info, "CVXCode", CVX);
            vaccines.add(new Vaccine(Codes.normalizeCvx(code), required(info, "ShortDescription", CVX),
                    required(info, "FullVaccinename", CVX), status(text(info, "Status"), CVX, code),
                    text(info, "Notes"), date(text(info, "LastUpdated"), CVX, code)));
        }
        return vaccines;
    }

    private static List<Manufacturer> readMvx(CodeFiles files) {
        List<Manufacturer> manufacturers = new ArrayList<>();
        for (Element info : elements(parse(files, MVX), "MVXInfo")) {
            Map<String, String> fields = namedValues(info);
            String code = requiredField(fields, "MVX_CODE", MVX);
            manufacturers.add(new Manufacturer(Codes.normalizeMvx(code),
                    requiredField(fields, "Manufacturer Name", MVX),
                    status(fields.getOrDefault("Status", ""), MVX, code), fields.getOrDefault("Notes", ""),
                    date(fields.getOrDefault("Last Updated", ""), MVX, code)));
        }
        return manufacturers;
    }

    /**
     * CDC's product names: the manufacturers (MVX) of each CVX, whatever the status of the product
     * name. A few old products name no manufacturer; they say nothing of who makes the vaccine.
     */
    private static Map<String, java.util.Set<String>> readTradeNames(CodeFiles files) {
        Map<String, java.util.Set<String>> makers = new LinkedHashMap<>();
        for (Element info : elements(parse(files, TRADE_NAMES), "prodInfo")) {
            Map<String, String> fields = namedValues(info);
            String mvx = fields.getOrDefault("MVX Code", "").strip();
            if (!mvx.isEmpty()) {
                makers.computeIfAbsent(Codes.normalizeCvx(requiredField(fields, "CVXCode", TRADE_NAMES)),
                        cvx -> new java.util.TreeSet<>()).add(Codes.normalizeMvx(mvx));
            }
        }
        return makers;
    }

    private static Map<String, List<VaccineGroup>> readVaccineGroups(CodeFiles files) {
        Map<String, List<VaccineGroup>> groups = new LinkedHashMap<>();
        for (Element info : elements(parse(files, VACCINE_GROUPS), "CVXVGInfo")) {
            Map<String, String> fields = namedValues(info);
            String cvx = Codes.normalizeCvx(requiredField(fields, "CVXCode", VACCINE_GROUPS));
            VaccineGroup group = new VaccineGroup(requiredField(fields, "Vaccine Group Name", VACCINE_GROUPS),
                    Codes.normalizeCvx(requiredField(fields, "CVX for Vaccine Group", VACCINE_GROUPS)));
            List<VaccineGroup> ofCvx = groups.computeIfAbsent(cvx, key -> new ArrayList<>());
            if (!ofCvx.contains(group)) {
                ofCvx.add(group);
            }
        }
        return groups;
    }

    /*
     * NDC_Unit_use.txt: id|labeler|product|package|proprietary name|generic name|labeler name|start|end|
     *                   packaging|GTIN|CVX|CVX description|non-inventory|NDC 5-4-2|last updated|GTIN
     * NDC_Unit_sale.txt: id|labeler|product|package|proprietary name|generic name|labeler name|start|end|
     *                   packaging|route|last updated|CVX|CVX description|NDC 5-4-2|GTIN
     * NDC_Linker.txt:   linker id|unit of sale id|unit of use id|MVX
     */
    private static List<NdcProduct> readNdc(CodeFiles files) {
        Map<String, String> mvxBySaleId = new HashMap<>();
        Map<String, String> mvxByUseId = new HashMap<>();
        for (String[] row : rows(files, NDC_LINKER, 4)) {
            mvxBySaleId.put(row[1].trim(), Codes.normalizeMvx(row[3]));
            mvxByUseId.put(row[2].trim(), Codes.normalizeMvx(row[3]));
        }
        Map<String, NdcProduct> products = new LinkedHashMap<>();
        for (String[] row : rows(files, NDC_UNIT_OF_USE, 15)) {
            addNdc(products, row, row[14], row[11], mvxByUseId, NdcProduct.Packaging.UNIT_OF_USE);
        }
        for (String[] row : rows(files, NDC_UNIT_OF_SALE, 15)) {
            addNdc(products, row, row[14], row[12], mvxBySaleId, NdcProduct.Packaging.UNIT_OF_SALE);
        }
        return new ArrayList<>(products.values());
    }

    private static void addNdc(Map<String, NdcProduct> products, String[] row, String ndc, String cvx,
                               Map<String, String> mvxById, NdcProduct.Packaging packaging) {
        List<String> forms = Codes.ndcCandidates(ndc);
        if (forms.size() != 1 || cvx.isBlank()) {
            return; // CDC lists a few products without an NDC or a CVX yet: nothing to link.
        }
        // The same NDC may be listed for several seasons; the first (newest in CDC's order) wins.
        products.putIfAbsent(forms.get(0), new NdcProduct(forms.get(0), packaging, Codes.normalizeCvx(cvx),
                mvxById.get(row[0].trim()), row[4].trim(), row[6].trim()));
    }

    private static List<String[]> rows(CodeFiles files, String name, int minimumFields) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = open(files, name);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split("\\|", -1);
                if (fields.length < minimumFields) {
                    throw new CodeSetException(name + " line " + number + ": expected at least " + minimumFields
                            + " fields separated by '|', found " + fields.length);
                }
                rows.add(fields);
            }
        } catch (IOException e) {
            throw new CodeSetException("cannot read " + name + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static Document parse(CodeFiles files, String name) {
        try (InputStream in = open(files, name)) {
            return secureBuilder().parse(in);
        } catch (IOException | SAXException e) {
            throw new CodeSetException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(CodeFiles files, String name) throws IOException {
        InputStream in = files.open(name);
        if (in == null) {
            throw new CodeSetException("code set file " + name + " is missing");
        }
        return in;
    }

    private static DocumentBuilder secureBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // errors are thrown, not printed
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser cannot be configured securely", e);
        }
    }

    private static List<Element> elements(Document document, String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>(nodes.getLength());
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    /** CDC's MVX and vaccine group exports list fields as alternating Name and Value elements. */
    private static Map<String, String> namedValues(Element info) {
        Map<String, String> fields = new LinkedHashMap<>();
        String name = null;
        for (Node child = info.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element) {
                if ("Name".equals(element.getTagName())) {
                    name = element.getTextContent().trim();
                } else if ("Value".equals(element.getTagName()) && name != null) {
                    fields.put(name, element.getTextContent().trim());
                    name = null;
                }
            }
        }
        return fields;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    private static String required(Element parent, String tag, String file) {
        String value = text(parent, tag);
        if (value.isEmpty()) {
            throw new CodeSetException(file + ": an entry has no " + tag);
        }
        return value;
    }

    private static String requiredField(Map<String, String> fields, String name, String file) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new CodeSetException(file + ": an entry has no " + name + " (entry " + fields + ")");
        }
        return value;
    }

    private static CodeStatus status(String label, String file, String code) {
        try {
            return CodeStatus.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw new CodeSetException(file + " code " + code + ": " + e.getMessage(), e);
        }
    }

    private static LocalDate date(String text, String file, String code) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(text, CDC_DATE);
        } catch (DateTimeParseException e) {
            throw new CodeSetException(file + " code " + code + ": last updated date '" + text + "' is not M/d/yyyy", e);
        }
    }

    /** A code set file is missing or malformed. */
    public static final class CodeSetException extends RuntimeException {
        CodeSetException(String message) {
            super(message);
        }

        CodeSetException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
