/** The Core App's side of layer 4: a receiver that deduplicates and acknowledges, and a sender. */
package dev.postoffice.coreapp;
