"""Families of meaning added after a sixth probe written from LABELING.md's definitions (issue #9, probes 18).

137 replies were written from the definitions before the rules were run on them, over trades the earlier probes did
not cover (airlines and rail, marketplaces (seller vs platform), phone and computer makers' repair depots and warranty
partners, consoles and app stores, pharmacies and health insurers, universities, tax portals, food delivery, ticketing,
ISP technicians), in English and Spanish (Spain, Mexico, Argentina; tú, usted, vos). The rules as they were found:
deflection 45 of 71, not_our_team 19 of 39, compensation 24 of 35; one false alarm (a Spanish store's opening hours,
a known borderline left alone). The families below were then written in three rounds, each checked on a batch of 40
replies written after it and never looked at while writing it: on each fresh batch the new families found nothing
main's rules did not already find (batch 3: deflection 6 of 13, not_our_team 6 of 10, compensation 7 of 10; batch 4:
3 of 14, 1 of 10, 1 of 10; batch 5, after the last round: 8 of 13, 0 of 10, 5 of 10), so the next round was written
from the misses of the batch before (see docs/qa-accuracy-history.md). Each positive below is a reply main missed
and these families find, with the words that must trigger; the negatives (a batch written to share the families'
words, and the probes' replies that carry no label) must stay quiet. On the 2,765 real labelled replies and the
generated ones no finding changes (tools/measure_checks.py --diff main). Left as they were: "that one's not for
us" (only function words: a pattern for it would run on every reply), "they handle the insurance claim" after naming
the carrier (no sending verb), a reply that asks the seller to send a replacement, and a repair booked at a link.
"""

from __future__ import annotations

import pytest

from check_helpers import assert_found, assert_quiet

# (check, reply, words expected in the evidence)
POSITIVES = [
    ('not_our_team', "@1 Baggage claims sit with the airport handling agent, so that's outside what "
                     'we can see from here. Please speak to the baggage desk at arrivals.',
     'outside what we can see from here'),
    ('deflection', '@1 Our social team has no visibility of seat allocations, sorry - the check-in '
                   'desk at the airport will be able to help.',
     'the check-in desk at the airport will be able to help'),
    ('not_our_team', "@1 I'm afraid we don't have sight of individual Railcard accounts on this page.",
     "we don't have sight of individual railcard accounts on this page"),
    ('not_our_team', "@1 As this item was sold by a third-party seller, we can't see the dispatch "
                     'details on our side. Please message the seller through your order page.',
     "sold by a third-party seller, we can't"),
    ('not_our_team', "@1 We'd have to pass you over to our repair depot for that, they're on 0345 600"
                     ' 1234 weekdays.',
     "we'd have to pass you over to"),
    ('not_our_team', '@1 Warranty claims are handled by our warranty partner rather than us, so '
                     "they'd be best placed to help: warranty.acmeparts.com/claim",
     'handled by our warranty partner rather than us'),
    ('deflection', '@1 Purchases made through the Play Store are billed by Google, we have no access '
                   'to those payments. Google Play support can refund it.',
     'play support can refund'),
    ('deflection', '@1 Account recovery is beyond what we can do on here - please open a ticket with '
                   'Player Support.',
     'open a ticket with player'),
    ('not_our_team', '@1 Account recovery is beyond what we can do on here - please open a ticket '
                     'with Player Support.',
     'beyond what we can do on here'),
    ('not_our_team', "@1 Your claim details aren't visible to us on this channel, the claims team can"
                     ' be reached on 0800 555 0199 Mon-Fri 8am-6pm.',
     "aren't visible to us on"),
    ('not_our_team', "@1 Admissions decisions sit with each faculty, so this account can't give you "
                     'an update. Please email admissions@uni.ac.uk.',
     "this account can't give you an update"),
    ('deflection', "@1 We only run the university's social channels, so we've no access to student "
                   'records. The Student Hub can help in person.',
     'the student hub can help'),
    ('not_our_team', "@1 We only run the university's social channels, so we've no access to student "
                     'records. The Student Hub can help in person.',
     "we only run the university's social channels"),
    ('deflection', "@1 This account can't access personal records. Please contact us via the online "
                   'form at gov.example/contact.',
     'contact us via the online form'),
    ('deflection', '@1 The restaurant prepares the food, so quality complaints go to them directly - '
                   "we can't see their kitchen notes from here.",
     'go to them directly'),
    ('not_our_team', "@1 As the event organiser sets the refund policy, we're not able to make that "
                     'call from this account. Please contact the promoter.',
     "we're not able to make that call from this account"),
    ('not_our_team', '@1 Unfortunately, seat refunds fall outside what our social media agents are '
                     'authorised to do.',
     'outside what our social media agents are authorised to do'),
    ('not_our_team', "@1 I can't make changes to bookings from this end, sorry. The reservations line"
                     ' can: 0330 123 0000.',
     "i can't make changes to bookings from this end"),
    ('not_our_team', "@1 Our field engineers can't be booked through here - please call 0800 800 150 "
                     'to arrange a technician.',
     "can't be booked through here"),
    ('deflection', '@1 Lamentablemente desde aquí no podemos ver el estado de tu receta, consúltalo '
                   'con tu farmacia.',
     'consúltalo con tu farmacia'),
    ('not_our_team', '@1 Nosotros no gestionamos las citas del técnico, eso lo coordina la empresa '
                     'instaladora. Podés llamarlos al 0800-333-4455.',
     'nosotros no gestionamos'),
    ('not_our_team', '@1 Estimado cliente, la información tributaria no puede ser tratada por este '
                     'medio. Le sugerimos acudir a la oficina más cercana.',
     'no puede ser tratada por este medio'),
    ('not_our_team', '@1 Lo siento, no tengo acceso a tu pedido desde Twitter, eso lo ve el equipo de'
                     ' atención al cliente.',
     'no tengo acceso a tu pedido desde twitter'),
    ('deflection', '@1 Usted tendría que dirigirse a su aseguradora, ya que nosotros no tenemos '
                   'acceso a su póliza.',
     'dirigirse a su aseguradora'),
    ('not_our_team', '@1 Eso excede lo que podemos hacer desde el community, escribile a soporte@tienda.com.ar.',
     'excede lo que podemos hacer desde el community'),
    ('not_our_team', '@1 Vos sabés que desde Twitter no llegamos a ver los movimientos de tu cuenta, '
                     'por eso te pedimos que vayas a la sucursal.',
     'desde twitter no llegamos a'),
    ('not_our_team', '@1 Disculpe, este canal no está habilitado para consultas de facturación.',
     'este canal no está habilitado para'),
    ('compensation', "@1 The seller has agreed to a full refund, which we've now processed.",
     'agreed to a full refund'),
    ('compensation', '@1 Your upgrade to first class has been confirmed for the return journey, enjoy!',
     'your upgrade to first class has been confirmed'),
    ('compensation', '@1 Consider the re-delivery charge waived.',
     'consider the re-delivery charge waived'),
    ('compensation', '@1 As a thank-you for your patience, your next two orders come with free delivery.',
     'your next two orders come with free'),
    ('compensation', '@1 The difference in fare will be paid back to you within 7 days.',
     'will be paid back to you'),
    ('compensation', '@1 Your prescription delivery fee has been written off this time.',
     'fee has been written off'),
    ('compensation', "@1 You're due a partial refund of the ticket price and we've started it.",
     "you're due a partial refund"),
    ('compensation', '@1 Reembolsamos los gastos de envío, disculpa las molestias.',
     'reembolsamos los gastos'),
    ('compensation', '@1 Le devolvemos la comisión cobrada, ya está gestionado.',
     'le devolvemos la comisión'),
    ('compensation', '@1 Vas a recibir un cupón de $200 para tu próximo pedido.',
     'vas a recibir un cupón'),
    ('compensation', '@1 Te devolvimos la plata a la tarjeta, puede demorar hasta 10 días hábiles.',
     'te devolvimos la plata'),
    ('deflection', '@1 For lost property on trains, please fill in the lost property form on our '
                   'website or ask at the station ticket office.',
     'ask at the station'),
    ('deflection', '@1 Our airport team at the transfer desk in Terminal 5 can sort your connection.',
     'the transfer desk in terminal 5 can sort'),
    ('deflection', "@1 Pop into any of our repair bars with your receipt and they'll take a look.",
     'pop into any of our repair bars'),
    ('deflection', "@1 You'll want to raise a return request with the seller from your orders page.",
     'raise a return request with the seller'),
    ('deflection', "@1 The courier is responsible once it's dispatched, please get hold of them with "
                   'your tracking number.',
     'get hold of them'),
    ('deflection', '@1 App Store purchases can only be refunded by Apple - reportaproblem.apple.com '
                   'is the place.',
     'can only be refunded by apple'),
    ('deflection', '@1 For Self Assessment queries, our webchat is the best route: gov.example/self-'
                   'assessment-contact',
     'webchat is the best route'),
    ('deflection', "@1 Have you tried chatting with our tech support team? They're at acme.net/chat.",
     'have you tried chatting with our tech support team?'),
    ('deflection', '@1 Any questions about the refund should go to the travel agent you booked with.',
     'questions about the refund should go to'),
    ('deflection', "@1 For repairs under extended cover, you'd go through the cover provider directly.",
     "you'd go through the cover provider"),
    ('deflection', '@1 For your visa letter, please request it through the International Office.',
     'request it through the international office'),
    ('deflection', '@1 Hola, ¿ya hablaste con el vendedor desde la sección Mis compras?',
     'hablaste con el vendedor'),
    ('deflection', '@1 Para temas de tu póliza comunícate con tu asesor de seguros.',
     'comunícate con tu asesor'),
    ('deflection', '@1 Los cambios de entradas los gestiona la taquilla del recinto, te recomendamos ir allí.',
     'te recomendamos ir allí'),
    ('deflection', '@1 Lo ideal es que abras un caso en nuestro portal de soporte: soporte.ejemplo.com/casos',
     'abras un caso en nuestro portal'),
    ('deflection', '@1 Hola, ¿intentaste contactar al servicio técnico oficial? Su número es 01 800 222 3344.',
     'intentaste contactar al'),
    ('deflection', '@1 Consulte con su farmacéutico de confianza.',
     'consulte con su farmacéutico'),
    ('not_our_team', '@1 Warranty repairs are handled by our partner rather than us, so please book '
                     'one at repairs.acme.com/book.',
     'handled by our partner rather than us'),
    ('not_our_team', '@1 Eso escapa a nuestras facultades; lo decide el banco emisor, contacta con tu banco.',
     'escapa a nuestras facultades'),
    ('not_our_team', '@1 Sorry Jen, the lounge access on your ticket is managed by the airport '
                     'operator, not something our team can check from Twitter.',
     'not something our team can check from twitter'),
    ('not_our_team', '@1 Refund decisions for resale tickets are made by the fan-to-fan marketplace, '
                     "so it's out of our hands on here.",
     'out of our hands'),
    ('deflection', "@1 Payroll queries aren't handled by the student social team, you'll need the "
                   'Finance Office for that.',
     "you'll need the finance office for that"),
    ('not_our_team', "@1 Payroll queries aren't handled by the student social team, you'll need the "
                     'Finance Office for that.',
     "aren't handled by the student social team"),
    ('not_our_team', '@1 Al ser un distribuidor independiente, no podemos intervenir en su garantía desde aquí.',
     'no podemos intervenir en su garantía desde aquí'),
    ('compensation', '@1 Apologies for the cancelled gig - your ticket money is on its way back to your card.',
     'money is on its way back'),
    ('compensation', "@1 We've made sure you won't pay for this month's broadband given the outage.",
     "you won't pay for this month"),
    ('compensation', '@1 Como disculpa, tu próximo envío no tendrá coste.',
     'tu próximo envío no tendrá coste'),
    ('deflection', "@1 You'll need to take it up with the marketplace seller, they set the returns window.",
     'take it up with the m'),
    ('deflection', '@1 Your GP is the right person to ask about changing the dose.',
     'is the right person to ask'),
    ('deflection', "@1 Have you been in touch with the university's accommodation office about the deposit?",
     "have you been in touch with the university's accommodation office"),
    ('deflection', '@1 The technician is booked by our partner Openline, you can reschedule with them'
                   ' at openline.example/appointments.',
     'you can reschedule with them'),
    ('deflection', '@1 Tenés que iniciar el reclamo con el vendedor desde la compra en la app.',
     'tenés que iniciar el reclamo con el vendedor'),
    ('deflection', '@1 Le rogamos que contacte con la farmacia donde retiró el medicamento.',
     'contacte con la farmacia'),
    ('deflection', "@1 Hi Sam, our social team doesn't handle checked-bag claims, so I'd point you to"
                   ' the Baggage Services counter in arrivals.',
     "i'd point you to the baggage services counter"),
    ('not_our_team', "@1 Hi Sam, our social team doesn't handle checked-bag claims, so I'd point you "
                     'to the Baggage Services counter in arrivals.',
     "our social team doesn't handle"),
    ('not_our_team', "@1 Sadly we're a separate company from the shops that stock our consoles, so we"
                     " can't refund purchases made there.",
     "we're a separate company from"),
    ('not_our_team', "@1 Afraid the people on this account aren't able to move exam dates.",
     "the people on this account aren't able to"),
    ('not_our_team', "@1 Marketplace disputes sit with our resolution centre, we're not able to open "
                     'them via tweets.',
     "we're not able to open them via tweets"),
    ('not_our_team', '@1 Council tax bills come from your local authority, this service has no access to them.',
     'this service has no access'),
    ('not_our_team', "@1 Insurance claims are a separate system that we, the social care team, can't get into.",
     "we, the social care team, can't"),
    ('not_our_team', '@1 Hola Marta, las reservas de grupo no se gestionan desde este perfil.',
     'no se gestionan desde este perfil'),
    ('not_our_team', '@1 Somos la cuenta de noticias de la universidad, no vemos datos de alumnos.',
     'somos la cuenta de noticias'),
    ('deflection', '@1 Ustedes tendrán que hablar con la promotora; nosotros como ticketera no '
                   'decidimos los reembolsos.',
     'hablar con la promotora'),
    ('not_our_team', '@1 Ustedes tendrán que hablar con la promotora; nosotros como ticketera no '
                     'decidimos los reembolsos.',
     'nosotros como ticketera no decidimos'),
    ('compensation', '@1 Sorry for the mix-up, your £40 has been returned to your PayPal.',
     '£40 has been returned'),
    ('compensation', "@1 We've waived this year's membership renewal as a thank-you for sticking with us.",
     "we've waived this year's membership"),
    ('compensation', '@1 A fresh pair is already heading to you by tracked post.',
     'a fresh pair is already heading to you'),
    ('compensation', "@1 We're covering your hotel for tonight, the desk has the booking under your name.",
     "we're covering your hotel"),
    ('compensation', '@1 A 25% code for your next takeaway is in your inbox now.',
     '25% code for your next takeaway is in your inbox'),
    ('compensation', "@1 We'll let you keep the faulty one and still send the new unit.",
     'let you keep the faulty one'),
    ('compensation', '@1 Ya procesamos la devolución de los 35 € del curso.',
     'ya procesamos la devolución de'),
    ('compensation', '@1 Te cargamos 2 GB extra de regalo por las molestias.',
     'te cargamos 2 gb extra de regalo'),
    ('compensation', '@1 Le compensamos con una noche adicional sin cargo.',
     'le compensamos con una noche adicional sin cargo'),
    ('deflection', "@1 Try the repair centre's own line, they can tell you where your laptop is.",
     "try the repair centre's own line"),
    ('deflection', '@1 For seat moves on the day, a gate agent will need to do it for you.',
     'a gate agent will need to do'),
    ('deflection', '@1 Please direct any appeal to the Student Complaints Office.',
     'direct any appeal to the student complaints office'),
    ('deflection', '@1 Amazon-style marketplace orders need sorting with whoever sold them to you.',
     'need sorting with'),
    ('deflection', '@1 Tech visits are arranged by Openreach-type partners, so pop them a message via'
                   ' their site.',
     'pop them a message'),
    ('deflection', "@1 If the food never arrived, the restaurant's manager is the one who can refund it.",
     'is the one who can'),
    ('deflection', '@1 Podés reclamarlo en el mostrador de la compañía en el aeropuerto.',
     'podés reclamarlo en el mostrador'),
    ('deflection', '@1 Para la beca tienes que pedir cita en secretaría.',
     'tienes que pedir cita en secretaría'),
    ('deflection', '@1 Escríbele al vendedor desde el chat de la compra, él te lo soluciona.',
     'escríbele al vendedor'),
]

# (check, reply): replies that must not be flagged by that check
NEGATIVES = [
    ('deflection', '@1 Our trains run every 30 minutes on Sundays, first departure 07:15.'),
    ('not_our_team', '@1 Our trains run every 30 minutes on Sundays, first departure 07:15.'),
    ('compensation', '@1 Our trains run every 30 minutes on Sundays, first departure 07:15.'),
    ('deflection', '@1 You can change your seat yourself under Manage Booking > Seats, it only takes a minute.'),
    ('not_our_team', '@1 You can change your seat yourself under Manage Booking > Seats, it only '
                     'takes a minute.'),
    ('compensation', '@1 You can change your seat yourself under Manage Booking > Seats, it only '
                     'takes a minute.'),
    ('deflection', '@1 Which store did you buy it from, and did it come with a receipt?'),
    ('not_our_team', '@1 Which store did you buy it from, and did it come with a receipt?'),
    ('compensation', '@1 Which store did you buy it from, and did it come with a receipt?'),
    ('deflection', "@1 Thanks for the details, we've passed this to our engineering team and they'll "
                   'call you tomorrow between 9 and 12.'),
    ('not_our_team', "@1 Thanks for the details, we've passed this to our engineering team and "
                     "they'll call you tomorrow between 9 and 12."),
    ('compensation', "@1 Thanks for the details, we've passed this to our engineering team and "
                     "they'll call you tomorrow between 9 and 12."),
    ('deflection', '@1 The student discount gives 10% off all year round with a valid ID.'),
    ('not_our_team', '@1 The student discount gives 10% off all year round with a valid ID.'),
    ('compensation', '@1 The student discount gives 10% off all year round with a valid ID.'),
    ('deflection', '@1 Let us look into this for you and see what we can do.'),
    ('not_our_team', '@1 Let us look into this for you and see what we can do.'),
    ('compensation', '@1 Let us look into this for you and see what we can do.'),
    ('deflection', '@1 Try restarting the console holding the power button for 10 seconds, that '
                   'clears most update errors.'),
    ('not_our_team', '@1 Try restarting the console holding the power button for 10 seconds, that '
                     'clears most update errors.'),
    ('compensation', '@1 Try restarting the console holding the power button for 10 seconds, that '
                     'clears most update errors.'),
    ('deflection', '@1 The library is open until midnight during exam season.'),
    ('not_our_team', '@1 The library is open until midnight during exam season.'),
    ('compensation', '@1 The library is open until midnight during exam season.'),
    ('deflection', "@1 We'll give you a call back within the hour to rebook your technician."),
    ('not_our_team', "@1 We'll give you a call back within the hour to rebook your technician."),
    ('compensation', "@1 We'll give you a call back within the hour to rebook your technician."),
    ('deflection', '@1 Did you get a chance to try the steps we sent yesterday?'),
    ('not_our_team', '@1 Did you get a chance to try the steps we sent yesterday?'),
    ('compensation', '@1 Did you get a chance to try the steps we sent yesterday?'),
    ('deflection', "@1 Happy to help here! What's the tracking number showing on your side?"),
    ('not_our_team', "@1 Happy to help here! What's the tracking number showing on your side?"),
    ('compensation', "@1 Happy to help here! What's the tracking number showing on your side?"),
    ('deflection', "@1 We've flagged this with the seller on your behalf and will update you here by Friday."),
    ('not_our_team', "@1 We've flagged this with the seller on your behalf and will update you here by Friday."),
    ('compensation', "@1 We've flagged this with the seller on your behalf and will update you here by Friday."),
    ('deflection', '@1 Our Black Friday sale has 30% off selected headphones until Monday.'),
    ('not_our_team', '@1 Our Black Friday sale has 30% off selected headphones until Monday.'),
    ('compensation', '@1 Our Black Friday sale has 30% off selected headphones until Monday.'),
    ('deflection', "@1 We'll see if we can get you a refund once the investigation wraps up."),
    ('not_our_team', "@1 We'll see if we can get you a refund once the investigation wraps up."),
    ('compensation', "@1 We'll see if we can get you a refund once the investigation wraps up."),
    ('not_our_team', '@1 La tienda abre de lunes a sábado de 10 a 21 h.'),
    ('compensation', '@1 La tienda abre de lunes a sábado de 10 a 21 h.'),
    ('deflection', '@1 Puedes descargar tu factura desde la app en Mi cuenta > Facturas.'),
    ('not_our_team', '@1 Puedes descargar tu factura desde la app en Mi cuenta > Facturas.'),
    ('compensation', '@1 Puedes descargar tu factura desde la app en Mi cuenta > Facturas.'),
    ('deflection', '@1 ¿Qué te dijeron cuando llamaste?'),
    ('not_our_team', '@1 ¿Qué te dijeron cuando llamaste?'),
    ('compensation', '@1 ¿Qué te dijeron cuando llamaste?'),
    ('deflection', '@1 Ya lo escalamos al área técnica y un asesor te contactará mañana.'),
    ('not_our_team', '@1 Ya lo escalamos al área técnica y un asesor te contactará mañana.'),
    ('compensation', '@1 Ya lo escalamos al área técnica y un asesor te contactará mañana.'),
    ('deflection', '@1 Vamos a revisarlo y te contamos por aquí.'),
    ('not_our_team', '@1 Vamos a revisarlo y te contamos por aquí.'),
    ('compensation', '@1 Vamos a revisarlo y te contamos por aquí.'),
    ('deflection', '@1 La promoción de 2x1 en entradas es válida solo los miércoles.'),
    ('not_our_team', '@1 La promoción de 2x1 en entradas es válida solo los miércoles.'),
    ('compensation', '@1 La promoción de 2x1 en entradas es válida solo los miércoles.'),
    ('deflection', '@1 Le llamaremos en las próximas 24 horas para agendar la visita del técnico.'),
    ('not_our_team', '@1 Le llamaremos en las próximas 24 horas para agendar la visita del técnico.'),
    ('compensation', '@1 Le llamaremos en las próximas 24 horas para agendar la visita del técnico.'),
    ('deflection', '@1 ¿Probaste reiniciar el módem desconectándolo 30 segundos?'),
    ('not_our_team', '@1 ¿Probaste reiniciar el módem desconectándolo 30 segundos?'),
    ('compensation', '@1 ¿Probaste reiniciar el módem desconectándolo 30 segundos?'),
    ('deflection', "@1 That's beyond what we expected too, we're looking into it now."),
    ('not_our_team', "@1 That's beyond what we expected too, we're looking into it now."),
    ('compensation', "@1 That's beyond what we expected too, we're looking into it now."),
    ('deflection', "@1 We have no visibility of the delay cause yet, we'll update you here as soon as we do."),
    ('not_our_team', "@1 We have no visibility of the delay cause yet, we'll update you here as soon as we do."),
    ('compensation', "@1 We have no visibility of the delay cause yet, we'll update you here as soon as we do."),
    ('deflection', "@1 Your order was sold by a third-party seller and we've asked them to send a "
                   'replacement today.'),
    ('not_our_team', "@1 Your order was sold by a third-party seller and we've asked them to send a "
                     'replacement today.'),
    ('deflection', "@1 We'll pass your feedback over to our product team, thanks for sharing."),
    ('not_our_team', "@1 We'll pass your feedback over to our product team, thanks for sharing."),
    ('compensation', "@1 We'll pass your feedback over to our product team, thanks for sharing."),
    ('deflection', '@1 The fare is set by the operator rather than the station, but we can refund it '
                   "here - what's your booking date?"),
    ('not_our_team', '@1 The fare is set by the operator rather than the station, but we can refund '
                     "it here - what's your booking date?"),
    ('deflection', "@1 That one's for you, enjoy the show!"),
    ('not_our_team', "@1 That one's for you, enjoy the show!"),
    ('compensation', "@1 That one's for you, enjoy the show!"),
    ('deflection', '@1 Our help desk will be able to help once you DM us your ticket number.'),
    ('not_our_team', '@1 Our help desk will be able to help once you DM us your ticket number.'),
    ('compensation', '@1 Our help desk will be able to help once you DM us your ticket number.'),
    ('deflection', "@1 Our team can help with that right here, what's the order number?"),
    ('not_our_team', "@1 Our team can help with that right here, what's the order number?"),
    ('compensation', "@1 Our team can help with that right here, what's the order number?"),
    ('deflection', "@1 We can't make that call without checking your booking first, could you DM us "
                   'the reference?'),
    ('not_our_team', "@1 We can't make that call without checking your booking first, could you DM us"
                     ' the reference?'),
    ('compensation', "@1 We can't make that call without checking your booking first, could you DM us"
                     ' the reference?'),
    ('deflection', "@1 The new update can't be booked through here yet, but it will appear in the app"
                   ' on Monday.'),
    ('not_our_team', "@1 The new update can't be booked through here yet, but it will appear in the "
                     'app on Monday.'),
    ('compensation', "@1 The new update can't be booked through here yet, but it will appear in the "
                     'app on Monday.'),
    ('deflection', '@1 We only run trains on this line at weekends during the works.'),
    ('not_our_team', '@1 We only run trains on this line at weekends during the works.'),
    ('compensation', '@1 We only run trains on this line at weekends during the works.'),
    ('deflection', '@1 Your refund, which we mentioned yesterday, is still pending with the bank.'),
    ('not_our_team', '@1 Your refund, which we mentioned yesterday, is still pending with the bank.'),
    ('compensation', '@1 Your refund, which we mentioned yesterday, is still pending with the bank.'),
    ('deflection', "@1 You're due an engineer visit on Tuesday between 8 and 12."),
    ('not_our_team', "@1 You're due an engineer visit on Tuesday between 8 and 12."),
    ('compensation', "@1 You're due an engineer visit on Tuesday between 8 and 12."),
    ('deflection', '@1 Consider the matter closed on our side, thanks for your patience.'),
    ('not_our_team', '@1 Consider the matter closed on our side, thanks for your patience.'),
    ('compensation', '@1 Consider the matter closed on our side, thanks for your patience.'),
    ('deflection', "@1 Your upgrade request has been received and we'll let you know if a seat frees up."),
    ('not_our_team', "@1 Your upgrade request has been received and we'll let you know if a seat frees up."),
    ('compensation', "@1 Your upgrade request has been received and we'll let you know if a seat frees up."),
    ('deflection', '@1 Your next orders will arrive in the new packaging.'),
    ('not_our_team', '@1 Your next orders will arrive in the new packaging.'),
    ('compensation', '@1 Your next orders will arrive in the new packaging.'),
    ('deflection', "@1 We've written off the old router model, the new one is much faster."),
    ('not_our_team', "@1 We've written off the old router model, the new one is much faster."),
    ('compensation', "@1 We've written off the old router model, the new one is much faster."),
    ('deflection', '@1 Questions about the new feature should go to this thread so everyone can see '
                   'the answers.'),
    ('not_our_team', '@1 Questions about the new feature should go to this thread so everyone can see'
                     ' the answers.'),
    ('compensation', '@1 Questions about the new feature should go to this thread so everyone can see'
                     ' the answers.'),
    ('deflection', '@1 You can request it through the app under Settings > Documents.'),
    ('not_our_team', '@1 You can request it through the app under Settings > Documents.'),
    ('compensation', '@1 You can request it through the app under Settings > Documents.'),
    ('not_our_team', "@1 We'd love to help in person at our stand at the expo next week!"),
    ('compensation', "@1 We'd love to help in person at our stand at the expo next week!"),
    ('deflection', '@1 Please get hold of your booking reference and DM it to us.'),
    ('not_our_team', '@1 Please get hold of your booking reference and DM it to us.'),
    ('compensation', '@1 Please get hold of your booking reference and DM it to us.'),
    ('deflection', "@1 Refunds can only be issued to the original card, so it'll go back there in 3-5 days."),
    ('not_our_team', "@1 Refunds can only be issued to the original card, so it'll go back there in 3-5 days."),
    ('deflection', '@1 Chatting with us here is the best way, what seems to be the problem?'),
    ('not_our_team', '@1 Chatting with us here is the best way, what seems to be the problem?'),
    ('compensation', '@1 Chatting with us here is the best way, what seems to be the problem?'),
    ('deflection', '@1 Acme Support will be able to help right here - could you tell us what error you see?'),
    ('not_our_team', '@1 Acme Support will be able to help right here - could you tell us what error you see?'),
    ('compensation', '@1 Acme Support will be able to help right here - could you tell us what error you see?'),
    ('deflection', '@1 Nosotros no vemos ningún cargo pendiente, ¿nos mandas una captura por DM?'),
    ('not_our_team', '@1 Nosotros no vemos ningún cargo pendiente, ¿nos mandas una captura por DM?'),
    ('compensation', '@1 Nosotros no vemos ningún cargo pendiente, ¿nos mandas una captura por DM?'),
    ('deflection', '@1 Te devolvemos la llamada en unos minutos.'),
    ('not_our_team', '@1 Te devolvemos la llamada en unos minutos.'),
    ('compensation', '@1 Te devolvemos la llamada en unos minutos.'),
    ('deflection', '@1 ¿Ya hablaste con nosotros por DM? Revisamos tu caso.'),
    ('not_our_team', '@1 ¿Ya hablaste con nosotros por DM? Revisamos tu caso.'),
    ('compensation', '@1 ¿Ya hablaste con nosotros por DM? Revisamos tu caso.'),
    ('deflection', '@1 Vas a recibir un SMS con el código de verificación.'),
    ('not_our_team', '@1 Vas a recibir un SMS con el código de verificación.'),
    ('compensation', '@1 Vas a recibir un SMS con el código de verificación.'),
    ('deflection', '@1 Eso no puede ser, lo revisamos ahora mismo por aquí.'),
    ('not_our_team', '@1 Eso no puede ser, lo revisamos ahora mismo por aquí.'),
    ('compensation', '@1 Eso no puede ser, lo revisamos ahora mismo por aquí.'),
    ('deflection', '@1 Te recomendamos ir a Ajustes > Privacidad y activar la opción.'),
    ('not_our_team', '@1 Te recomendamos ir a Ajustes > Privacidad y activar la opción.'),
    ('compensation', '@1 Te recomendamos ir a Ajustes > Privacidad y activar la opción.'),
    ('not_our_team', '@1 Comunícate con tu banco solo si ves otro cargo; por ahora lo revisamos nosotros.'),
    ('compensation', '@1 Comunícate con tu banco solo si ves otro cargo; por ahora lo revisamos nosotros.'),
    ('deflection', '@1 Abre un caso en la app y nosotros lo atendemos en menos de 24 h.'),
    ('not_our_team', '@1 Abre un caso en la app y nosotros lo atendemos en menos de 24 h.'),
    ('compensation', '@1 Abre un caso en la app y nosotros lo atendemos en menos de 24 h.'),
    ('deflection', '@1 Este canal no está disponible los domingos, te respondemos el lunes.'),
    ('not_our_team', '@1 Este canal no está disponible los domingos, te respondemos el lunes.'),
    ('compensation', '@1 Este canal no está disponible los domingos, te respondemos el lunes.'),
    ('deflection', '@1 ¿Intentaste reiniciar la app?'),
    ('not_our_team', '@1 ¿Intentaste reiniciar la app?'),
    ('compensation', '@1 ¿Intentaste reiniciar la app?'),
    ('compensation', '@1 Warranty repairs are handled by our partner rather than us, so please book '
                     'one at repairs.acme.com/book.'),
    ('compensation', '@1 Eso escapa a nuestras facultades; lo decide el banco emisor, contacta con tu banco.'),
    ('deflection', '@1 The ticket office at Leeds opens at 6am on Sundays.'),
    ('not_our_team', '@1 The ticket office at Leeds opens at 6am on Sundays.'),
    ('compensation', '@1 The ticket office at Leeds opens at 6am on Sundays.'),
    ('deflection', "@1 You can download your boarding pass from the app's Trips tab."),
    ('not_our_team', "@1 You can download your boarding pass from the app's Trips tab."),
    ('compensation', "@1 You can download your boarding pass from the app's Trips tab."),
    ('deflection', '@1 Was the parcel left with a neighbour, or did you get a card through the door?'),
    ('not_our_team', '@1 Was the parcel left with a neighbour, or did you get a card through the door?'),
    ('compensation', '@1 Was the parcel left with a neighbour, or did you get a card through the door?'),
    ('deflection', "@1 We've raised this with our network team and they'll text you once the fix is in."),
    ('not_our_team', "@1 We've raised this with our network team and they'll text you once the fix is in."),
    ('compensation', "@1 We've raised this with our network team and they'll text you once the fix is in."),
    ('deflection', '@1 Members get 2x points on all bookings this weekend.'),
    ('not_our_team', '@1 Members get 2x points on all bookings this weekend.'),
    ('compensation', '@1 Members get 2x points on all bookings this weekend.'),
    ('deflection', '@1 Lo revisamos con el área de reembolsos y te contamos por aquí mañana.'),
    ('not_our_team', '@1 Lo revisamos con el área de reembolsos y te contamos por aquí mañana.'),
    ('compensation', '@1 Lo revisamos con el área de reembolsos y te contamos por aquí mañana.'),
    ('deflection', '@1 ¿Cuándo hiciste la compra y con qué tarjeta pagaste?'),
    ('not_our_team', '@1 ¿Cuándo hiciste la compra y con qué tarjeta pagaste?'),
    ('compensation', '@1 ¿Cuándo hiciste la compra y con qué tarjeta pagaste?'),
    ('deflection', '@1 Nuestra app te deja cambiar el asiento gratis hasta 24 h antes.'),
    ('not_our_team', '@1 Nuestra app te deja cambiar el asiento gratis hasta 24 h antes.'),
    ('compensation', '@1 Nuestra app te deja cambiar el asiento gratis hasta 24 h antes.'),
    ('deflection', '@1 Our stations are staffed from 5:30am until the last train.'),
    ('not_our_team', '@1 Our stations are staffed from 5:30am until the last train.'),
    ('compensation', '@1 Our stations are staffed from 5:30am until the last train.'),
    ('deflection', '@1 You can pause your subscription any time from Account > Plan.'),
    ('not_our_team', '@1 You can pause your subscription any time from Account > Plan.'),
    ('compensation', '@1 You can pause your subscription any time from Account > Plan.'),
    ('deflection', '@1 Did you order through the app or the website?'),
    ('not_our_team', '@1 Did you order through the app or the website?'),
    ('compensation', '@1 Did you order through the app or the website?'),
    ('deflection', "@1 Thanks, we've sent this to the depot and they'll be in touch by Thursday."),
    ('not_our_team', "@1 Thanks, we've sent this to the depot and they'll be in touch by Thursday."),
    ('compensation', "@1 Thanks, we've sent this to the depot and they'll be in touch by Thursday."),
    ('deflection', '@1 Kids travel free with a paying adult on weekends.'),
    ('not_our_team', '@1 Kids travel free with a paying adult on weekends.'),
    ('compensation', '@1 Kids travel free with a paying adult on weekends.'),
    ('deflection', '@1 Vamos a ver qué podemos hacer y te escribimos por aquí.'),
    ('not_our_team', '@1 Vamos a ver qué podemos hacer y te escribimos por aquí.'),
    ('compensation', '@1 Vamos a ver qué podemos hacer y te escribimos por aquí.'),
    ('deflection', '@1 ¿Tu pedido salió de nuestro almacén o de un vendedor externo?'),
    ('not_our_team', '@1 ¿Tu pedido salió de nuestro almacén o de un vendedor externo?'),
    ('compensation', '@1 ¿Tu pedido salió de nuestro almacén o de un vendedor externo?'),
    ('deflection', '@1 Un técnico te llamará mañana para coordinar la visita.'),
    ('not_our_team', '@1 Un técnico te llamará mañana para coordinar la visita.'),
    ('compensation', '@1 Un técnico te llamará mañana para coordinar la visita.'),
]


@pytest.mark.parametrize(("check", "text", "evidence"), POSITIVES)
def test_family_finds_the_reply(check: str, text: str, evidence: str) -> None:
    assert_found(check, text, evidence)


@pytest.mark.parametrize(("check", "text"), NEGATIVES)
def test_family_stays_quiet(check: str, text: str) -> None:
    assert_quiet(check, text)
