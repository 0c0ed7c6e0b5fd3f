/**
 * Generates NYC taxi CSVs with the real yellow/green column layouts, deterministic for a
 * given (taxi, month, rows) so a re-run of the same month produces the same rows.
 */
export type Taxi = 'yellow' | 'green';

export const YELLOW_COLUMNS = 'VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,RatecodeID,store_and_fwd_flag,PULocationID,DOLocationID,payment_type,fare_amount,extra,mta_tax,tip_amount,tolls_amount,improvement_surcharge,total_amount,congestion_surcharge'.split(',');
export const GREEN_COLUMNS = 'VendorID,lpep_pickup_datetime,lpep_dropoff_datetime,store_and_fwd_flag,RatecodeID,PULocationID,DOLocationID,passenger_count,trip_distance,fare_amount,extra,mta_tax,tip_amount,tolls_amount,ehail_fee,improvement_surcharge,total_amount,payment_type,trip_type,congestion_surcharge'.split(',');

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `month` is `YYYY-MM`. */
export function taxiCsv(taxi: Taxi, month: string, rows: number): string {
  const columns = taxi === 'yellow' ? YELLOW_COLUMNS : GREEN_COLUMNS;
  const lines = [columns.join(',')];
  for (let i = 0; i < rows; i++) {
    const day = 1 + (i % 28);
    const minute = i % 60;
    const hour = Math.floor(i / 60) % 24;
    const pickup = `${month}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(i % 59)}`;
    const dropoff = `${month}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad((i % 59) + 1)}`;
    const fare = (5 + (i % 40) * 0.5).toFixed(2);
    const distance = (0.5 + (i % 30) * 0.3).toFixed(2);
    const values: Record<string, string> = {
      VendorID: String(1 + (i % 2)),
      tpep_pickup_datetime: pickup,
      tpep_dropoff_datetime: dropoff,
      lpep_pickup_datetime: pickup,
      lpep_dropoff_datetime: dropoff,
      passenger_count: String(1 + (i % 4)),
      trip_distance: distance,
      RatecodeID: '1',
      store_and_fwd_flag: 'N',
      PULocationID: String(1 + (i % 263)),
      DOLocationID: String(1 + ((i * 7) % 263)),
      payment_type: String(1 + (i % 2)),
      fare_amount: fare,
      extra: '0.5',
      mta_tax: '0.5',
      tip_amount: '1.00',
      tolls_amount: '0',
      // Empty cells load as NULL, as in the real files.
      ehail_fee: '',
      improvement_surcharge: '0.3',
      total_amount: (Number(fare) + 2.3).toFixed(2),
      trip_type: '1',
      congestion_surcharge: i % 3 === 0 ? '' : '2.5',
    };
    lines.push(columns.map((c) => values[c]).join(','));
  }
  return lines.join('\n') + '\n';
}
