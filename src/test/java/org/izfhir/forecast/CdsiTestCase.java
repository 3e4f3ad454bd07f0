package org.izfhir.forecast;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.izfhir.forecast.Assessment.Observation;
import org.izfhir.forecast.Assessment.Sex;

/** One of CDC's CDSi test cases, as read from CDC's spreadsheet. */
record CdsiTestCase(
        String id,
        String name,
        LocalDate birthDate,
        Sex sex,
        List<Observation> observations,
        List<ExpectedDose> doses,
        String seriesStatus,
        String forecastNumber,
        LocalDate earliest,
        LocalDate recommended,
        LocalDate pastDue,
        String vaccineGroup,
        LocalDate assessmentDate) {

    record ExpectedDose(LocalDate date, String cvx, String mvx, String status, String reason) {}

    /** CDC's test case vaccine group names, as the supporting data names the groups. */
    static final Map<String, String> GROUPS = Map.ofEntries(
            Map.entry("DTAP", "DTaP/Tdap/Td"), Map.entry("POL", "Polio"), Map.entry("IPOL", "Polio"), Map.entry("HIB", "Hib"),
            Map.entry("PCV", "Pneumococcal"), Map.entry("VAR", "Varicella"), Map.entry("ROTA", "Rotavirus"),
            Map.entry("MCV", "Meningococcal"), Map.entry("MENB", "Meningococcal B"), Map.entry("ZOSTER", "Zoster"),
            Map.entry("FLU", "Influenza"), Map.entry("HEPA", "HepA"), Map.entry("HEPB", "HepB"), Map.entry("HPV", "HPV"),
            Map.entry("MMR", "MMR"), Map.entry("COVID-19", "COVID-19"), Map.entry("RSV", "RSV"));

    private static final DateTimeFormatter US = DateTimeFormatter.ofPattern("M/d/yyyy");

    Assessment assessment() {
        List<Assessment.Dose> given = new ArrayList<>();
        for (int i = 0; i < doses.size(); i++) {
            ExpectedDose d = doses.get(i);
            given.add(new Assessment.Dose(String.valueOf(i + 1), d.date(), d.cvx(), d.mvx()));
        }
        return new Assessment(assessmentDate, birthDate, sex, given, observations);
    }

    String supportingDataGroup() {
        String group = GROUPS.get(vaccineGroup.toUpperCase(Locale.ROOT));
        return group == null ? vaccineGroup : group;
    }

    /** Reads every case of the named sheet of a CDC test case workbook on the test classpath. */
    static List<CdsiTestCase> read(String resource, String sheetName) {
        try (InputStream in = CdsiTestCase.class.getResourceAsStream(resource);
                Workbook workbook = new XSSFWorkbook(in)) {
            Sheet sheet = workbook.getSheet(sheetName);
            Map<String, Integer> column = new HashMap<>();
            for (Cell c : sheet.getRow(0)) {
                column.put(c.getStringCellValue().trim().toLowerCase(Locale.ROOT).replace(' ', '_'), c.getColumnIndex());
            }
            List<CdsiTestCase> cases = new ArrayList<>();
            for (Row row : sheet) {
                Columns r = new Columns(row, column);
                if (row.getRowNum() == 0 || r.text("cdc_test_id").isEmpty()) {
                    continue;
                }
                List<Observation> observations = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    String code = r.text("observation_code_" + i);
                    if (!code.isEmpty()) {
                        observations.add(new Observation(code, r.date("observation_date_" + i)));
                    }
                }
                String history = r.text("med_history_code");
                if (!history.isEmpty()) {
                    observations.add(new Observation(history, null));
                }
                List<ExpectedDose> doses = new ArrayList<>();
                for (int i = 1; i <= 7; i++) {
                    LocalDate date = r.date("date_administered_" + i);
                    if (date != null) {
                        doses.add(new ExpectedDose(date, r.text("cvx_" + i), r.text("mvx_" + i),
                                r.text("evaluation_status_" + i), r.text("evaluation_reason_" + i)));
                    }
                }
                String gender = r.text("gender");
                cases.add(new CdsiTestCase(r.text("cdc_test_id"), r.text("test_case_name"), r.date("dob"),
                        gender.startsWith("M") ? Sex.MALE : gender.startsWith("F") ? Sex.FEMALE : Sex.UNKNOWN,
                        observations, doses, r.text("series_status"), r.text("forecast_#"), r.date("earliest_date"),
                        r.date("recommended_date"), r.date("past_due_date"), r.text("vaccine_group"),
                        r.date("assessment_date")));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Columns(Row row, Map<String, Integer> column) {
        private static final DataFormatter FORMAT = new DataFormatter(Locale.US);

        Cell cell(String name) {
            Integer i = column.get(name);
            return i == null ? null : row.getCell(i);
        }

        String text(String name) {
            Cell c = cell(name);
            if (c == null) {
                return "";
            }
            if (c.getCellType() == CellType.NUMERIC && !DateUtil.isCellDateFormatted(c)) {
                double v = c.getNumericCellValue();
                return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
            }
            return FORMAT.formatCellValue(c).trim();
        }

        LocalDate date(String name) {
            Cell c = cell(name);
            if (c == null || c.getCellType() == CellType.BLANK) {
                return null;
            }
            if (c.getCellType() == CellType.NUMERIC) {
                return DateUtil.getLocalDateTime(c.getNumericCellValue()).toLocalDate();
            }
            String s = c.getStringCellValue().trim();
            if (s.isEmpty() || s.equalsIgnoreCase("n/a") || s.equals("-")) {
                return null;
            }
            return LocalDate.parse(s, US);
        }
    }
}
