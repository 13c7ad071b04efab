/** Codecs between typed models and payloads. */
package dev.postoffice.codec;
