/**
 * The Core App receiver's workings: decoding a delivery, the receipt-log calls, the
 * acknowledgements. Internal: no compatibility promise; do not use from other modules.
 */
package dev.postoffice.coreapp.internal;
