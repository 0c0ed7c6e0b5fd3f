export { renderReport, REPORT_GRID_ROWS, REPORT_LOG_LINES, MASK, type ReportInput, type ReportCell, type ReportGrid, type ReportLogs } from './report';
export { gatherReport, parseReportCharts, reportFileName, type ReportSource, type ReportCharts } from './gather';
