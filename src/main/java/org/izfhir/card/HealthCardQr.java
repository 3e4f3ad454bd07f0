package org.izfhir.card;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A card as one QR code: {@code shc:/} and the JWS in SMART Health Cards' numeric encoding (each
 * character as two digits, its code minus 45), encoded by ZXing in its most compact segments (a
 * byte segment for the prefix, a numeric one for the digits) at error correction L. Version 22 is
 * the largest the spec allows.
 */
public final class HealthCardQr {

    public static final int MAX_VERSION = 22;
    private static final String PREFIX = "shc:/";
    private static final int MODULE_PIXELS = 4;
    private static final int QUIET_ZONE = 4;

    private HealthCardQr() {
    }

    /** {@code shc:/} and the JWS's numeric encoding. */
    public static String numeric(String jws) {
        StringBuilder text = new StringBuilder(PREFIX.length() + 2 * jws.length()).append(PREFIX);
        for (int i = 0; i < jws.length(); i++) {
            int value = jws.charAt(i) - 45;
            text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
        }
        return text.toString();
    }

    /** The JWS of a {@code shc:/} text. */
    public static String jws(String numeric) {
        if (!numeric.startsWith(PREFIX) || (numeric.length() - PREFIX.length()) % 2 != 0) {
            throw new IllegalArgumentException("not a single-QR SMART Health Card");
        }
        StringBuilder jws = new StringBuilder();
        for (int i = PREFIX.length(); i < numeric.length(); i += 2) {
            jws.append((char) (Integer.parseInt(numeric.substring(i, i + 2)) + 45));
        }
        return jws.toString();
    }

    /** The QR code of a card's JWS; {@link IllegalArgumentException} when it needs more than version 22. */
    public static QRCode code(String jws) {
        try {
            QRCode code = Encoder.encode(numeric(jws), ErrorCorrectionLevel.L,
                    Map.of(EncodeHintType.QR_COMPACT, Boolean.TRUE));
            if (code.getVersion().getVersionNumber() > MAX_VERSION) {
                throw new IllegalArgumentException("the card needs QR version " + code.getVersion().getVersionNumber()
                        + "; SMART Health Cards allow " + MAX_VERSION);
            }
            return code;
        } catch (WriterException e) {
            throw new IllegalArgumentException("the card cannot be a QR code: " + e.getMessage(), e);
        }
    }

    /** The QR code as an image, black on white, with its quiet zone. */
    public static BufferedImage image(QRCode code) {
        ByteMatrix matrix = code.getMatrix();
        int size = (matrix.getWidth() + 2 * QUIET_ZONE) * MODULE_PIXELS;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int mx = x / MODULE_PIXELS - QUIET_ZONE;
                int my = y / MODULE_PIXELS - QUIET_ZONE;
                boolean dark = mx >= 0 && my >= 0 && mx < matrix.getWidth() && my < matrix.getHeight()
                        && matrix.get(mx, my) == 1;
                image.setRGB(x, y, dark ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        return image;
    }

    /** The QR code of a card's JWS, as PNG bytes. */
    public static byte[] png(String jws) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image(code(jws)), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
