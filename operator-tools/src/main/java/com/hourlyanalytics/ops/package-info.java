/** Operator commands against a deployed stack's table and settings; each has a top-level script. */
package com.hourlyanalytics.ops;
