"""What offices achieved: realisation per indikator and RAK row, money spent, and the
dashboards' reads of plans against realisation."""
