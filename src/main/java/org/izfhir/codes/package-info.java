/**
 * CDC vaccine code sets as data the rest of the server asks: CVX, MVX, NDC to CVX/MVX and CVX to
 * vaccine group. {@link org.izfhir.codes.CodeSetLoader} reads CDC's own files into the immutable
 * {@link org.izfhir.codes.Codes}; updating a code set is replacing a file, never changing code.
 */
package org.izfhir.codes;
